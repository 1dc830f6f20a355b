using System.Threading.Channels;
using KeyProjects.Grains.Live;
using KeyProjects.Web.Live;
using Microsoft.Extensions.Time.Testing;

namespace KeyProjects.Tests.Live;

/// <summary>Coalescing on a fake clock: nothing here waits for real time to pass.</summary>
public sealed class CoalescingSenderTests
{
    [Fact]
    public async Task The_first_events_go_at_once_and_those_that_follow_within_the_window_go_together_in_order()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-20T10:00:00+08:00"));
        var sent = Channel.CreateUnbounded<(TimeSpan At, IReadOnlyList<long> Sequences)>();
        var start = clock.GetTimestamp();
        var sender = new CoalescingSender(TimeSpan.FromMilliseconds(50), clock, (batch, _) =>
        {
            sent.Writer.TryWrite((clock.GetElapsedTime(start), batch.Select(e => e.Sequence).ToList()));
            return Task.CompletedTask;
        });
        using var stop = new CancellationTokenSource();
        var running = sender.RunAsync(stop.Token);

        sender.Post([Event(1)]);
        var first = await sent.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([1L], first.Sequences);
        Assert.Equal(TimeSpan.Zero, first.At);

        // Within the window: three more posts. They leave as one batch, in order, once the window has passed.
        sender.Post([Event(2)]);
        sender.Post([Event(3), Event(4)]);
        var second = sent.Reader.ReadAsync().AsTask();
        while (!second.IsCompleted)
        {
            clock.Advance(TimeSpan.FromMilliseconds(5));
            await Task.WhenAny(second, Task.Delay(10));
        }
        var (at, sequences) = await second;
        Assert.Equal([2L, 3L, 4L], sequences);
        Assert.InRange(at, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(60));

        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public void A_window_longer_than_fifty_milliseconds_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new CoalescingSender(TimeSpan.FromMilliseconds(51), TimeProvider.System, (_, _) => Task.CompletedTask));
        Assert.Equal("window", error.ParamName);
    }

    private static LiveEvent Event(long sequence) => new(Guid.Empty, sequence, DateTimeOffset.UnixEpoch,
        new LiveChange("problem.raised", $"s{sequence}", null, null, $"t{sequence}", "测试", DateTimeOffset.UnixEpoch));
}
