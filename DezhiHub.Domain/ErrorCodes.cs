namespace DezhiHub.Domain;

/// <summary>
/// Every refusal code the app raises (<see cref="DomainException.Code"/>), one class per area, named like its text in
/// <c>Resources/Strings.*.resx</c>: the page shows the text of the code in the reader's language (decision 0003).
/// <c>LocalizationTests</c> checks that each has a text in both languages.
/// </summary>
public static class ErrorCodes
{
    public static class Activity
    {
        public const string AlreadyOver = "Activity.AlreadyOver";
        public const string CancelDeadlineAfterStart = "Activity.CancelDeadlineAfterStart";
        public const string CancelReasonRequired = "Activity.CancelReasonRequired";
        public const string CannotCancel = "Activity.CannotCancel";
        public const string CapacityBelowSignUps = "Activity.CapacityBelowSignUps";
        public const string CapacityInvalid = "Activity.CapacityInvalid";
        public const string CheckInWindowInvalid = "Activity.CheckInWindowInvalid";
        public const string CoverTooLarge = "Activity.CoverTooLarge";
        public const string CoverTooManyPixels = "Activity.CoverTooManyPixels";
        public const string CoverWrongType = "Activity.CoverWrongType";
        public const string DescriptionTooLong = "Activity.DescriptionTooLong";
        public const string EndBeforeStart = "Activity.EndBeforeStart";
        public const string EntryRequired = "Activity.EntryRequired";
        public const string NotEditable = "Activity.NotEditable";
        public const string NotFound = "Activity.NotFound";
        public const string OnlyDraftsPublish = "Activity.OnlyDraftsPublish";
        public const string OrgRequired = "Activity.OrgRequired";
        public const string PlaceRequired = "Activity.PlaceRequired";
        public const string PlaceTooLong = "Activity.PlaceTooLong";
        public const string PointsInvalid = "Activity.PointsInvalid";
        public const string SignUpDeadlineAfterStart = "Activity.SignUpDeadlineAfterStart";
        public const string StartInPast = "Activity.StartInPast";
        public const string ThemeInvalid = "Activity.ThemeInvalid";
        public const string ThemeRequired = "Activity.ThemeRequired";
        public const string TitleRequired = "Activity.TitleRequired";
        public const string TitleTooLong = "Activity.TitleTooLong";
        public const string TooLong = "Activity.TooLong";
    }

    public static class Attendance
    {
        public const string NotEnded = "Attendance.NotEnded";
    }

    public static class Booking
    {
        public const string AlreadyArrived = "Booking.AlreadyArrived";
        public const string Changed = "Booking.Changed";
        public const string HouseholdLimit = "Booking.HouseholdLimit";
        public const string NoSuchSlot = "Booking.NoSuchSlot";
        public const string NotActive = "Booking.NotActive";
        public const string NotFound = "Booking.NotFound";
        public const string NotStartedYet = "Booking.NotStartedYet";
        public const string NoteTooLong = "Booking.NoteTooLong";
        public const string PartnerNameTooLong = "Booking.PartnerNameTooLong";
        public const string PastCutoff = "Booking.PastCutoff";
        public const string ReasonRequired = "Booking.ReasonRequired";
        public const string ReasonTooLong = "Booking.ReasonTooLong";
        public const string SlotFull = "Booking.SlotFull";
        public const string SlotRulesChanged = "Booking.SlotRulesChanged";
        public const string SlotTaken = "Booking.SlotTaken";
        public const string VoucherInvalid = "Booking.VoucherInvalid";
        public const string WrongState = "Booking.WrongState";
    }

    public static class Card
    {
        public const string Invalid = "Card.Invalid";
        public const string Revoked = "Card.Revoked";
    }

    public static class Certificate
    {
        public const string AlreadyRevoked = "Certificate.AlreadyRevoked";
        public const string NoCommunity = "Certificate.NoCommunity";
        public const string NoService = "Certificate.NoService";
        public const string NotFound = "Certificate.NotFound";
        public const string PersonNotFound = "Certificate.PersonNotFound";
    }

    public static class CheckIn
    {
        public const string AlreadyCredited = "CheckIn.AlreadyCredited";
        public const string Cancelled = "CheckIn.Cancelled";
        public const string Full = "CheckIn.Full";
        public const string NotCheckedIn = "CheckIn.NotCheckedIn";
        public const string NotSignedUp = "CheckIn.NotSignedUp";
        public const string NotStarted = "CheckIn.NotStarted";
        public const string Over = "CheckIn.Over";
        public const string ReasonRequired = "CheckIn.ReasonRequired";
    }

    public static class Coverage
    {
        public const string PeriodInvalid = "Coverage.PeriodInvalid";
    }

    public static class Hours
    {
        public const string AlreadyCorrected = "Hours.AlreadyCorrected";
        public const string CorrectionInvalid = "Hours.CorrectionInvalid";
    }

    public static class Leaderboard
    {
        public const string PeriodInvalid = "Leaderboard.PeriodInvalid";
    }

    public static class Lottery
    {
        public const string AlreadyDrawn = "Lottery.AlreadyDrawn";
        public const string AlreadyEntered = "Lottery.AlreadyEntered";
        public const string DeadlineInvalid = "Lottery.DeadlineInvalid";
        public const string DrawPending = "Lottery.DrawPending";
        public const string NotClosed = "Lottery.NotClosed";
        public const string NotFound = "Lottery.NotFound";
    }

    public static class LotteryAdmin
    {
        public const string DateExists = "LotteryAdmin.DateExists";
        public const string HasEntries = "LotteryAdmin.HasEntries";
        public const string NotFound = "LotteryAdmin.NotFound";
    }

    public static class Market
    {
        public const string AlreadyCancelled = "Market.AlreadyCancelled";
        public const string AlreadyHandedOver = "Market.AlreadyHandedOver";
        public const string ItemNotFound = "Market.ItemNotFound";
        public const string LimitReached = "Market.LimitReached";
        public const string NoArea = "Market.NoArea";
        public const string NotEnoughPoints = "Market.NotEnoughPoints";
        public const string NotOnOffer = "Market.NotOnOffer";
        public const string NotYetOnOffer = "Market.NotYetOnOffer";
        public const string OfferEnded = "Market.OfferEnded";
        public const string OutOfStock = "Market.OutOfStock";
        public const string ReasonRequired = "Market.ReasonRequired";
        public const string RedemptionNotFound = "Market.RedemptionNotFound";
        public const string VoucherExpired = "Market.VoucherExpired";
    }

    public static class MyBookings
    {
        public const string AlreadyBooked = "MyBookings.AlreadyBooked";
    }

    public static class Org
    {
        public const string CannotMoveIntoOwnSubtree = "Org.CannotMoveIntoOwnSubtree";
        public const string CityCannotMove = "Org.CityCannotMove";
        public const string CityCannotRetire = "Org.CityCannotRetire";
        public const string DuplicateName = "Org.DuplicateName";
        public const string GridCellHasNoChildren = "Org.GridCellHasNoChildren";
        public const string NameRequired = "Org.NameRequired";
        public const string NameTooLong = "Org.NameTooLong";
        public const string NodeRetired = "Org.NodeRetired";
        public const string NotFound = "Org.NotFound";
        public const string ParentRetired = "Org.ParentRetired";
        public const string RetireChildrenFirst = "Org.RetireChildrenFirst";
        public const string WrongParentLevel = "Org.WrongParentLevel";
    }

    public static class Partner
    {
        public const string PeriodInvalid = "Partner.PeriodInvalid";
    }

    public static class Plan
    {
        public const string CounselingFirst = "Plan.CounselingFirst";
        public const string Empty = "Plan.Empty";
        public const string LotteryDate = "Plan.LotteryDate";
        public const string StewardSameDay = "Plan.StewardSameDay";
    }

    public static class Pledge
    {
        public const string AllItemsRequired = "Pledge.AllItemsRequired";
        public const string AlreadyDecided = "Pledge.AlreadyDecided";
        public const string AlreadySigned = "Pledge.AlreadySigned";
        public const string Changed = "Pledge.Changed";
        public const string DatePast = "Pledge.DatePast";
        public const string DateRequired = "Pledge.DateRequired";
        public const string DateTooFar = "Pledge.DateTooFar";
        public const string ItemInvalid = "Pledge.ItemInvalid";
        public const string ItemsChanged = "Pledge.ItemsChanged";
        public const string MobileInvalid = "Pledge.MobileInvalid";
        public const string NoItems = "Pledge.NoItems";
        public const string NoOrgNode = "Pledge.NoOrgNode";
        public const string NotFound = "Pledge.NotFound";
        public const string NotYet = "Pledge.NotYet";
        public const string PartnerAlreadySigned = "Pledge.PartnerAlreadySigned";
        public const string PartnerIsSelf = "Pledge.PartnerIsSelf";
        public const string PartnerNameInvalid = "Pledge.PartnerNameInvalid";
    }

    public static class PledgeAdmin
    {
        public const string LastItem = "PledgeAdmin.LastItem";
        public const string NotFound = "PledgeAdmin.NotFound";
        public const string OrderInvalid = "PledgeAdmin.OrderInvalid";
        public const string Retired = "PledgeAdmin.Retired";
    }

    public static class Points
    {
        public const string AlreadyReversed = "Points.AlreadyReversed";
        public const string AwardDecided = "Points.AwardDecided";
        public const string AwardInvalid = "Points.AwardInvalid";
        public const string AwardNotFound = "Points.AwardNotFound";
        public const string EntryNotFound = "Points.EntryNotFound";
        public const string InsufficientBalance = "Points.InsufficientBalance";
        public const string NotReversible = "Points.NotReversible";
        public const string NotToYourself = "Points.NotToYourself";
        public const string ReasonRequired = "Points.ReasonRequired";
        public const string SecondOrganizerRequired = "Points.SecondOrganizerRequired";
    }

    public static class Recurrence
    {
        public const string CountInvalid = "Recurrence.CountInvalid";
        public const string IntervalInvalid = "Recurrence.IntervalInvalid";
        public const string UntilBeforeStart = "Recurrence.UntilBeforeStart";
        public const string UntilOrCount = "Recurrence.UntilOrCount";
    }

    public static class Request
    {
        /// <summary>The request was made before under the same request id; callers answer with the first result.</summary>
        public const string Repeated = "Request.Repeated";
    }

    public static class Reward
    {
        public const string CostInvalid = "Reward.CostInvalid";
        public const string DescriptionTooLong = "Reward.DescriptionTooLong";
        public const string LimitInvalid = "Reward.LimitInvalid";
        public const string NameInvalid = "Reward.NameInvalid";
        public const string NotFound = "Reward.NotFound";
        public const string OrgRequired = "Reward.OrgRequired";
        public const string PartnerInvalid = "Reward.PartnerInvalid";
        public const string PictureTooLarge = "Reward.PictureTooLarge";
        public const string PictureTooManyPixels = "Reward.PictureTooManyPixels";
        public const string PictureWrongType = "Reward.PictureWrongType";
        public const string StockChanged = "Reward.StockChanged";
        public const string StockInvalid = "Reward.StockInvalid";
        public const string ValidityInvalid = "Reward.ValidityInvalid";
    }

    public static class SignUp
    {
        public const string Already = "SignUp.Already";
        public const string CancelClosed = "SignUp.CancelClosed";
        public const string Closed = "SignUp.Closed";
        public const string NotNeeded = "SignUp.NotNeeded";
        public const string NotSignedUp = "SignUp.NotSignedUp";
        public const string Overlap = "SignUp.Overlap";
    }

    public static class Theme
    {
        public const string DuplicateName = "Theme.DuplicateName";
        public const string NameRequired = "Theme.NameRequired";
        public const string NameTooLong = "Theme.NameTooLong";
        public const string NotFound = "Theme.NotFound";
    }

    public static class Users
    {
        public const string LastAdmin = "Users.LastAdmin";
        public const string NotFound = "Users.NotFound";
        public const string UnknownRole = "Users.UnknownRole";
    }

    public static class Utilisation
    {
        public const string YearInvalid = "Utilisation.YearInvalid";
    }

    public static class Volunteer
    {
        public const string AccountIncomplete = "Volunteer.AccountIncomplete";
        public const string IdLast4Invalid = "Volunteer.IdLast4Invalid";
        public const string NotFound = "Volunteer.NotFound";
        public const string SkillsTooLong = "Volunteer.SkillsTooLong";
    }

    public static class Voucher
    {
        public const string Invalid = "Voucher.Invalid";
        public const string Lapsed = "Voucher.Lapsed";
        public const string OwnVoucher = "Voucher.OwnVoucher";
    }

    public static class Wedding
    {
        public const string AdvanceInvalid = "Wedding.AdvanceInvalid";
        public const string BufferInvalid = "Wedding.BufferInvalid";
        public const string CapacityInvalid = "Wedding.CapacityInvalid";
        public const string CutoffInvalid = "Wedding.CutoffInvalid";
        public const string DatesInvalid = "Wedding.DatesInvalid";
        public const string DescriptionTooLong = "Wedding.DescriptionTooLong";
        public const string HoursInvalid = "Wedding.HoursInvalid";
        public const string HouseholdLimitInvalid = "Wedding.HouseholdLimitInvalid";
        public const string KindFixed = "Wedding.KindFixed";
        public const string LineTooLong = "Wedding.LineTooLong";
        public const string NameInvalid = "Wedding.NameInvalid";
        public const string NoticeInvalid = "Wedding.NoticeInvalid";
        public const string PartnerRequired = "Wedding.PartnerRequired";
        public const string PhotoInvalid = "Wedding.PhotoInvalid";
        public const string PriceCapInvalid = "Wedding.PriceCapInvalid";
        public const string ReviewWindowInvalid = "Wedding.ReviewWindowInvalid";
        public const string SeatsInvalid = "Wedding.SeatsInvalid";
        public const string ServiceNotFound = "Wedding.ServiceNotFound";
        public const string SessionsInvalid = "Wedding.SessionsInvalid";
        public const string SlotLengthInvalid = "Wedding.SlotLengthInvalid";
        public const string TooManyPhotos = "Wedding.TooManyPhotos";
    }

    public static class WeddingCatalog
    {
        public const string MobileInvalid = "WeddingCatalog.MobileInvalid";
        public const string RetiredNoEdit = "WeddingCatalog.RetiredNoEdit";
    }

    public static class WeddingPhoto
    {
        public const string Changed = "WeddingPhoto.Changed";
        public const string NotFound = "WeddingPhoto.NotFound";
        public const string TooLarge = "WeddingPhoto.TooLarge";
    }
}
