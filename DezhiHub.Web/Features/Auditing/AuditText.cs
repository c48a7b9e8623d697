using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.Auditing;

public static class AuditText
{
    /// <summary>"user.updated" → "更新了人员" / "updated a person"; unknown actions show their code.</summary>
    public static string Action(IStringLocalizer<Strings> strings, string action) =>
        strings[$"AuditAction.{action}"] is { ResourceNotFound: false } text ? text : action;

    /// <summary>The actor's name; changes made by the app itself (seeding, scheduled sweeps) read as "系统" / "System".</summary>
    public static string Actor(IStringLocalizer<Strings> strings, string actorName) =>
        actorName == AuditTrail.SystemActor ? strings["Audit.System"] : actorName;
}
