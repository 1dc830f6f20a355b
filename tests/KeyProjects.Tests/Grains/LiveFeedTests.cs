using KeyProjects.Grains.Live;

namespace KeyProjects.Tests.Grains;

/// <summary>The live feed's catch-up: what a reader missed, or a plain "take a snapshot" when it is gone.</summary>
public sealed class LiveFeedTests(GrainCluster fixture) : IClassFixture<GrainCluster>
{
    [Fact]
    public async Task A_reader_gets_what_it_missed_in_order_or_is_told_to_take_a_snapshot_when_it_is_too_far_behind()
    {
        // Its own feed grain, so other tests' events do not count here.
        var feed = fixture.Grains.GetGrain<ILiveFeedGrain>($"test-{Guid.NewGuid():N}");
        var head = await feed.GetSince(Guid.Empty, 0);
        Assert.False(head.Complete);
        Assert.Equal(0, head.Head);

        for (var i = 1; i <= 5; i++) await feed.Publish(Change(i));
        var recent = await feed.GetSince(head.Epoch, 2);
        Assert.True(recent.Complete);
        Assert.Equal([3L, 4L, 5L], recent.Events.Select(e => e.Sequence));
        Assert.Equal(["t3", "t4", "t5"], recent.Events.Select(e => e.Change.Title));
        Assert.Equal(5, recent.Head);

        // Up to date: complete, nothing to add. Ahead of the feed or of another epoch: a snapshot is needed.
        Assert.True((await feed.GetSince(head.Epoch, 5)) is { Complete: true, Events.Count: 0 });
        Assert.False((await feed.GetSince(head.Epoch, 9)).Complete);
        Assert.False((await feed.GetSince(Guid.NewGuid(), 2)).Complete);

        // Older than the feed keeps: a snapshot is needed; the oldest retained one's predecessor still catches up.
        for (var i = 6; i <= LiveFeedGrain.Retained + 10; i++) await feed.Publish(Change(i));
        Assert.False((await feed.GetSince(head.Epoch, 2)).Complete);
        var oldest = await feed.GetSince(head.Epoch, 10);
        Assert.True(oldest.Complete);
        Assert.Equal(LiveFeedGrain.Retained, oldest.Events.Count);
        Assert.Equal(11, oldest.Events[0].Sequence);
        Assert.False((await feed.GetSince(head.Epoch, 9)).Complete);
    }

    private static LiveChange Change(int i) => new("problem.raised", $"s{i}", "P-1", "land", $"t{i}", "测试", GrainCluster.Start);
}
