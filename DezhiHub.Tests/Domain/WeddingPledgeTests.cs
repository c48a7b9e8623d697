using DezhiHub.Domain;
using DezhiHub.Domain.Weddings;

namespace DezhiHub.Tests.Domain;

/// <summary>The civilized-wedding pledge (文明婚俗承诺): signed before the wedding, verified on or after it.</summary>
public sealed class WeddingPledgeTests
{
    private const int Applicant = 40;
    private const int PartnerAccount = 41;
    private const int Organizer = 2;

    private static readonly DateTime Now = new(2026, 11, 27, 1, 0, 0, DateTimeKind.Utc);
    private static readonly DateOnly Today = new(2026, 11, 27);
    private static readonly DateOnly Wedding = new(2026, 12, 20);
    private static readonly string[] Items = ["不要高价彩礼", "婚宴从简", "不搞低俗婚闹"];

    private static WeddingPledge Sign(string partnerName = " 李娜 ", int? partnerUserId = PartnerAccount, DateOnly? weddingDate = null, IReadOnlyList<string>? items = null) =>
        WeddingPledge.Sign(Applicant, partnerName, "13900000041", partnerUserId, weddingDate ?? Wedding, items ?? Items, 17, "/1/4/17/", Now, Today);

    private static string Refused(Action action) => Assert.Throws<DomainException>(action).Code;

    [Fact]
    public void Signing_KeepsTheItemsAsTheyReadThen()
    {
        var pledge = Sign();

        Assert.Equal(PledgeStatus.Pending, pledge.Status);
        Assert.Equal("李娜", pledge.PartnerName);
        Assert.Equal("不要高价彩礼\n婚宴从简\n不搞低俗婚闹", pledge.ItemsText);
        Assert.Equal((Wedding, 17, "/1/4/17/", Now), (pledge.WeddingDate, pledge.OrgNodeId, pledge.OrgPath, pledge.SignedAtUtc));
        Assert.Null(pledge.DecidedAtUtc);
    }

    [Fact]
    public void APartnerWhoRegisteredLater_IsLinkedWhilePending_Once_AndNeverAsTheApplicant()
    {
        var pledge = Sign(partnerUserId: null);
        Assert.Equal([Applicant], pledge.Beneficiaries());

        Assert.False(pledge.LinkPartner(Applicant));
        Assert.True(pledge.LinkPartner(PartnerAccount));
        Assert.False(pledge.LinkPartner(99)); // never replaces the account already named
        Assert.Equal([Applicant, PartnerAccount], pledge.Beneficiaries());

        var decided = Sign(partnerUserId: null);
        decided.Verify(Organizer, Now.AddDays(23), Wedding);
        Assert.False(decided.LinkPartner(PartnerAccount));
        Assert.Null(decided.PartnerUserId);
    }

    [Fact]
    public void Signing_RefusesBadInput()
    {
        Assert.Equal("Pledge.PartnerNameInvalid", Refused(() => Sign(partnerName: "  ")));
        Assert.Equal("Pledge.PartnerNameInvalid", Refused(() => Sign(partnerName: new string('李', 41))));
        Assert.Equal(new string('李', 40), Sign(partnerName: new string('李', 40)).PartnerName);
        Assert.Equal("Pledge.NoItems", Refused(() => Sign(items: [])));
        Assert.Equal("Pledge.DatePast", Refused(() => Sign(weddingDate: Today.AddDays(-1))));
        Assert.Equal(Today, Sign(weddingDate: Today).WeddingDate); // a wedding today may still be pledged
        Assert.Equal("Pledge.PartnerIsSelf", Refused(() => Sign(partnerUserId: Applicant)));
    }

    [Fact]
    public void Verify_OnlyOnOrAfterTheWeddingDay()
    {
        var pledge = Sign();

        Assert.Equal("Pledge.NotYet", Refused(() => pledge.Verify(Organizer, Now, Wedding.AddDays(-1))));
        Assert.Equal(PledgeStatus.Pending, pledge.Status);

        pledge.Verify(Organizer, Now.AddDays(23), Wedding);

        Assert.Equal((PledgeStatus.Verified, Organizer, Now.AddDays(23)), (pledge.Status, pledge.DecidedByUserId, pledge.DecidedAtUtc));

        var later = Sign();
        later.Verify(Organizer, Now.AddDays(60), Wedding.AddDays(30));
        Assert.Equal(PledgeStatus.Verified, later.Status);
    }

    [Fact]
    public void APledge_IsDecidedOnce()
    {
        var verified = Sign();
        verified.Verify(Organizer, Now, Wedding);
        Assert.Equal("Pledge.AlreadyDecided", Refused(() => verified.Verify(Organizer, Now, Wedding)));
        Assert.Equal("Pledge.AlreadyDecided", Refused(() => verified.Reject(Organizer, "彩礼超标", Now)));
        Assert.Equal(PledgeStatus.Verified, verified.Status);

        var rejected = Sign();
        rejected.Reject(Organizer, "彩礼超标", Now);
        Assert.Equal("Pledge.AlreadyDecided", Refused(() => rejected.Verify(Organizer, Now, Wedding)));
        Assert.Equal(PledgeStatus.Rejected, rejected.Status);
    }

    [Fact]
    public void Reject_NeedsAReason_AndChangesNothingWithoutOne()
    {
        var pledge = Sign();

        Assert.Equal("Booking.ReasonRequired", Refused(() => pledge.Reject(Organizer, " ", Now)));
        Assert.Equal("Booking.ReasonTooLong", Refused(() => pledge.Reject(Organizer, new string('x', 201), Now)));
        Assert.Equal(PledgeStatus.Pending, pledge.Status);
        Assert.Null(pledge.DecidedByUserId);

        pledge.Reject(Organizer, " 婚宴超过二十桌 ", Now.AddDays(25));

        Assert.Equal((PledgeStatus.Rejected, "婚宴超过二十桌", Organizer), (pledge.Status, pledge.RejectReason, pledge.DecidedByUserId));
    }

    [Fact]
    public void BothPartners_AreBeneficiaries_EachOnce()
    {
        Assert.Equal([Applicant, PartnerAccount], Sign().Beneficiaries());
        Assert.Equal([Applicant], Sign(partnerUserId: null).Beneficiaries());
        Assert.Equal(Sign().Beneficiaries().Distinct(), Sign().Beneficiaries());
    }

    [Fact]
    public void PledgeItems_NeedText_OfLimitedLength()
    {
        Assert.Equal("Pledge.ItemInvalid", Refused(() => PledgeItem.Create("  ", 1)));
        Assert.Equal("Pledge.ItemInvalid", Refused(() => PledgeItem.Create(new string('x', 201), 1)));

        var item = PledgeItem.Create(" 婚宴从简 ", 2);
        Assert.Equal(("婚宴从简", 2), (item.Text, item.SortOrder));
        Assert.Equal("Pledge.ItemInvalid", Refused(() => item.Update("", 3)));
        Assert.Equal(("婚宴从简", 2), (item.Text, item.SortOrder));
    }
}
