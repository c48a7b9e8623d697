using System.Buffers.Text;
using DezhiHub.Domain.Activities;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Signing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DezhiHub.Tests.Features;

public sealed class CheckInTokenTests
{
    // 09:00:00 Shanghai, on a 30-second boundary.
    private static readonly DateTimeOffset StepStart = DateTimeOffset.FromUnixTimeSeconds(1_795_050_000 / 30 * 30);

    private readonly FakeTimeProvider _clock = new(StepStart);
    private readonly CheckInTokens _tokens;

    public CheckInTokenTests() => _tokens = new CheckInTokens(Keys(), _clock);

    [Fact]
    public void AToken_NamesItsActivityAndPurpose_InThirtyFourUrlSafeCharacters()
    {
        var token = _tokens.Issue(12345, CheckInPurpose.CheckOut);

        Assert.Equal(34, token.Length);
        Assert.Matches("^[A-Za-z0-9_-]+$", token);
        Assert.Equal(TokenCheck.Valid, _tokens.Verify(token, out var activityId, out var purpose));
        Assert.Equal((12345, CheckInPurpose.CheckOut), (activityId, purpose));
    }

    [Fact]
    public void AToken_LivesForItsStepAndTheNext_ThenExpires()
    {
        _clock.Advance(TimeSpan.FromSeconds(29.9)); // the last moment of its step
        var token = _tokens.Issue(1, CheckInPurpose.CheckIn);

        _clock.Advance(TimeSpan.FromSeconds(0.1)); // the screen has moved on: still accepted
        Assert.Equal(TokenCheck.Valid, _tokens.Verify(token, out _, out _));
        _clock.Advance(TimeSpan.FromSeconds(29.9));
        Assert.Equal(TokenCheck.Valid, _tokens.Verify(token, out _, out _));
        _clock.Advance(TimeSpan.FromSeconds(0.1)); // two steps on: a forwarded photo is now useless
        Assert.Equal(TokenCheck.Expired, _tokens.Verify(token, out var activityId, out _));
        Assert.Equal(0, activityId);
    }

    [Fact]
    public void ChangingAnyByte_MakesTheTokenInvalid()
    {
        var bytes = Base64Url.DecodeFromChars(_tokens.Issue(42, CheckInPurpose.CheckIn));
        for (var i = 0; i < bytes.Length; i++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var tampered = (byte[])bytes.Clone();
                tampered[i] ^= (byte)(1 << bit);
                Assert.Equal(TokenCheck.Invalid, _tokens.Verify(Base64Url.EncodeToString(tampered), out _, out _));
            }
        }
    }

    [Fact]
    public void ChangingAnyCharacter_ToAnyOther_MakesTheTokenInvalid_WithoutAnError()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var token = _tokens.Issue(42, CheckInPurpose.CheckIn);
        for (var i = 0; i < token.Length; i++)
        {
            foreach (var c in alphabet.Where(c => c != token[i]))
            {
                // Includes last characters that differ only in unused bits, which the decoder throws on.
                var tampered = string.Concat(token.AsSpan(0, i), c.ToString(), token.AsSpan(i + 1));
                Assert.Equal(TokenCheck.Invalid, _tokens.Verify(tampered, out _, out _));
            }
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not a token at all!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // right length, wrong signature
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")] // right length, not base64url
    [InlineData("AAAA+AAAAAAAAAAAAAAAAAAAAAAAAAAAA/")] // standard base64 characters are not base64url
    public void Garbage_IsInvalid(string? token) => Assert.Equal(TokenCheck.Invalid, _tokens.Verify(token, out _, out _));

    [Fact]
    public void TruncatedOrOversizedTokens_AreInvalid()
    {
        var token = _tokens.Issue(7, CheckInPurpose.CheckIn);
        Assert.Equal(TokenCheck.Invalid, _tokens.Verify(token[..^1], out _, out _));
        Assert.Equal(TokenCheck.Invalid, _tokens.Verify(token + "A", out _, out _));
        Assert.Equal(TokenCheck.Invalid, _tokens.Verify(token + new string('A', 10_000), out _, out _));
    }

    [Fact]
    public void ATokenFromAnotherDeployment_OrFromTheFuture_IsInvalid()
    {
        var other = new CheckInTokens(Keys(), _clock);
        Assert.Equal(TokenCheck.Invalid, _tokens.Verify(other.Issue(1, CheckInPurpose.CheckIn), out _, out _));

        var future = _tokens.Issue(1, CheckInPurpose.CheckIn, _tokens.CurrentStep() + 1);
        Assert.Equal(TokenCheck.Invalid, _tokens.Verify(future, out _, out _));
    }

    [Fact]
    public void AConfiguredKey_IsUsed_AndMustBeLongEnough()
    {
        var configured = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        Assert.Equal(32, CheckInKeyStore.FromConfiguration(configured).Length);
        Assert.Throws<InvalidOperationException>(() => CheckInKeyStore.FromConfiguration(Convert.ToBase64String(new byte[16])));
    }

    /// <summary>A store with a configured key of its own: each call is another deployment.</summary>
    private static CheckInKeyStore Keys()
    {
        var configured = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [CheckInKeyStore.ConfigurationKey] = configured })
            .Build();
        return new CheckInKeyStore(configuration, new ServiceCollection().BuildServiceProvider());
    }
}
