namespace DezhiHub.Domain.Weddings;

/// <summary>The public wedding services (新时代婚俗礼仪) a resident can book.</summary>
public enum WeddingServiceKind
{
    /// <summary>公共礼堂: one couple per slot; slots of a fixed length with a cleaning buffer between them.</summary>
    CeremonyHall = 0,

    /// <summary>民间总管: a person booked per day or half-day, who confirms or declines.</summary>
    FolkSteward = 1,

    /// <summary>办证大厅预约: fixed slots with a number of couples per slot.</summary>
    RegistrationAppointment = 2,

    /// <summary>婚庆爱心企业联盟套餐: a Partner's price-capped package, a number of couples per day, confirmed by the Partner.</summary>
    AlliancePackage = 3,

    /// <summary>婚姻家庭辅导教育: a class with a counsellor and a number of seats.</summary>
    CounselingSession = 4,
}

public static class WeddingServiceKinds
{
    /// <summary>
    /// Exclusive resources (one couple at a time) are protected by claim rows with a unique (resource, unit) index;
    /// the others by a guarded count per slot.
    /// </summary>
    public static bool IsExclusive(this WeddingServiceKind kind) =>
        kind is WeddingServiceKind.CeremonyHall or WeddingServiceKind.FolkSteward;
}
