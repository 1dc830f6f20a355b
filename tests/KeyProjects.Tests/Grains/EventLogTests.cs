using Dapper;
using KeyProjects.Grains.Events;
using KeyProjects.Grains.Live;
using KeyProjects.Silo.EventLog;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Silo.Storage;
using Npgsql;

namespace KeyProjects.Tests.Grains;

/// <summary>
/// The event log on PostgreSQL: one appender numbers events without gaps, appending is idempotent by stream and
/// sequence, the live feed catches readers up from it, the table refuses UPDATE and DELETE, and a hand-edited row
/// is named by the audit.
/// </summary>
public sealed class EventLogTests(GrainCluster fixture) : IClassFixture<GrainCluster>
{
    private IEventLogGrain Log => fixture.Grains.GetGrain<IEventLogGrain>(IEventLogGrain.City);
    private ILiveFeedGrain Feed => fixture.Grains.GetGrain<ILiveFeedGrain>(ILiveFeedGrain.City);

    private static DomainEvent Event(string stream, long sequence) => new(
        stream, sequence, "project.changed", "office", "项目办", GrainCluster.Start.AddMinutes(sequence),
        new EventConcerns(stream, "P-1", "land", ["land"], "L01", $"事件{sequence}", []),
        EventJson.Write(new KeyProjects.Grains.Projects.ProjectChanged(KeyProjects.Grains.Projects.ProjectSummary.From(GrainCluster.Project("P-LOG") with { Name = $"测试{sequence}" }))));

    [Fact]
    public async Task Events_get_gapless_positions_once_each_and_readers_catch_up_from_the_log()
    {
        var stream = Streams.Of(Streams.Project, "P-LOG");
        var head = await Feed.GetSince(Guid.Empty, 0);
        Assert.False(head.Complete); // another epoch: the reader is told to take a snapshot

        // Concurrent appends of one stream's events, some of them twice: each lands once, positions follow the head.
        await Task.WhenAll(Log.Append([Event(stream, 1), Event(stream, 2)]), Log.Append([Event(stream, 1), Event(stream, 2), Event(stream, 3)]));
        await Log.Append([Event(stream, 3)]);
        var caughtUp = await Feed.GetSince(head.Epoch, head.Head);
        Assert.True(caughtUp.Complete);
        var ours = caughtUp.Events.Where(e => e.Change.SubjectId == stream).ToList();
        Assert.Equal(["事件1", "事件2", "事件3"], ours.Select(e => e.Change.Title));
        Assert.Equal(Enumerable.Range(0, caughtUp.Events.Count).Select(i => head.Head + 1 + i), caughtUp.Events.Select(e => e.Sequence));

        // The read model applied the project's latest event, once.
        Assert.Equal("测试3", (await fixture.ReadModel.Project("P-LOG"))!.Name);

        // Up to date: complete and empty; ahead of the log or of another epoch: a snapshot is needed.
        Assert.True(await Feed.GetSince(head.Epoch, caughtUp.Head) is { Complete: true, Events.Count: 0 });
        Assert.False((await Feed.GetSince(head.Epoch, caughtUp.Head + 5)).Complete);
        Assert.False((await Feed.GetSince(Guid.NewGuid(), 0)).Complete);
    }

    [Fact]
    public async Task The_log_refuses_update_and_delete_and_the_audit_names_the_first_edited_event()
    {
        var stream = Streams.Of(Streams.Project, "P-AUDIT");
        await Log.Append([Event(stream, 1), Event(stream, 2), Event(stream, 3)]);
        Assert.True((await AuditVerifier.VerifyAsync(fixture.Storage)).Verified);

        await using var connection = new NpgsqlConnection(fixture.Storage.ConnectionString);
        await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("UPDATE kp_events SET title = 'x' WHERE stream = @stream", new { stream }));
        await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("DELETE FROM kp_events WHERE stream = @stream", new { stream }));
        Assert.Equal(3, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM kp_events WHERE stream = @stream", new { stream }));

        // Someone with the rights to switch the guard off edits the second event by hand: the audit names it.
        var second = await connection.ExecuteScalarAsync<long>("SELECT position FROM kp_events WHERE stream = @stream AND sequence = 2", new { stream });
        await connection.ExecuteAsync("""
            ALTER TABLE kp_events DISABLE TRIGGER kp_events_no_update_or_delete;
            UPDATE kp_events SET title = '改过的' WHERE position = @second;
            ALTER TABLE kp_events ENABLE TRIGGER kp_events_no_update_or_delete;
            """, new { second });
        var report = await AuditVerifier.VerifyAsync(fixture.Storage);
        Assert.False(report.Verified);
        Assert.Equal(second, report.FirstBroken!.Position);
        Assert.Equal(stream, report.FirstBroken.Stream);
        Assert.Equal(2, report.FirstBroken.Sequence);
    }
}
