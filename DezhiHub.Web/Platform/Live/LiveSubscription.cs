namespace DezhiHub.Web.Platform.Live;

/// <summary>
/// A page's subscription to <see cref="LiveChanges"/>: when a change it shows happens, it re-reads once after a short
/// pause, however many changes arrive meanwhile (a check-in rush is one re-read per pause, not one per check-in).
/// Dispose it with the page.
/// </summary>
public sealed class LiveSubscription : IDisposable
{
    /// <summary>How long changes are gathered before one re-read.</summary>
    public static readonly TimeSpan DefaultPause = TimeSpan.FromMilliseconds(300);

    private readonly LiveChanges _live;
    private readonly Func<Change, bool> _concerns;
    private readonly Func<Task> _refresh;
    private readonly TimeSpan _pause;
    private readonly CancellationTokenSource _stop = new();
    private int _queued;

    /// <param name="live">The instance's changes.</param>
    /// <param name="concerns">Whether a change is one the page shows (<see cref="Change.Concerns"/>).</param>
    /// <param name="refresh">Re-reads and re-renders (a component passes InvokeAsync(…)); a failure is logged.</param>
    /// <param name="pause">How long changes are gathered; <see cref="DefaultPause"/> unless given.</param>
    public LiveSubscription(LiveChanges live, Func<Change, bool> concerns, Func<Task> refresh, TimeSpan? pause = null)
    {
        _live = live;
        _concerns = concerns;
        _refresh = refresh;
        _pause = pause ?? DefaultPause;
        _live.Changed += OnChange;
    }

    public void Dispose()
    {
        _live.Changed -= OnChange;
        _stop.Cancel();
        _stop.Dispose();
    }

    private void OnChange(Change change)
    {
        if ((change.Kind == ChangeKind.Everything || _concerns(change)) && Interlocked.Exchange(ref _queued, 1) == 0)
        {
            _ = RefreshSoonAsync();
        }
    }

    private async Task RefreshSoonAsync()
    {
        try
        {
            await Task.Delay(_pause, _stop.Token);
            Interlocked.Exchange(ref _queued, 0);
            await _refresh();
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away meanwhile.
        }
        catch (Exception ex)
        {
            _live.RefreshFailed(ex);
        }
    }
}
