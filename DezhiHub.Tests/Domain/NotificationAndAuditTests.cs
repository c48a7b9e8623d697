using DezhiHub.Domain.Auditing;
using DezhiHub.Domain.Notifications;

namespace DezhiHub.Tests.Domain;

public sealed class NotificationAndAuditTests
{
    private static readonly DateTime Now = new(2026, 11, 27, 1, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("//evil.example")]
    [InlineData("javascript:alert(1)")]
    public void Notification_LinksMustBeLocalPaths(string link) =>
        Assert.Throws<ArgumentException>(() => Notification.Create(1, "Notify.Welcome", [], link, Now));

    [Fact]
    public void Notification_MarkRead_KeepsTheFirstReadTime()
    {
        var notification = Notification.Create(1, "Notify.Welcome", ["张三"], "/account/profile", Now);
        Assert.False(notification.IsRead);
        notification.MarkRead(Now.AddMinutes(1));
        notification.MarkRead(Now.AddMinutes(5));
        Assert.Equal(Now.AddMinutes(1), notification.ReadAtUtc);
    }

    [Fact]
    public void AuditEntry_RefusesLocalTimes() =>
        Assert.Throws<ArgumentException>(() => AuditEntry.Create(DateTime.Now, 1, "a", "x", "y", "1", null, null, null));

    [Fact]
    public void AuditEntry_TruncatesOverlongFieldsInsteadOfFailingTheChange()
    {
        var entry = AuditEntry.Create(Now, 1, new string('名', 100), "user.updated", "User", "1", null, null, "{}");
        Assert.Equal(AuditEntry.ActorNameMaxLength, entry.ActorName.Length);
    }
}
