namespace DezhiHub.Domain.Organization;

/// <summary>City &gt; District (区县) &gt; Street (街道/乡镇) &gt; Community (社区/村) &gt; GridCell (网格).</summary>
public enum OrgLevel
{
    City = 0,
    District = 1,
    Street = 2,
    Community = 3,
    GridCell = 4,
}
