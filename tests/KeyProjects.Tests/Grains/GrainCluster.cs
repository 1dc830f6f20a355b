using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Projects;
using KeyProjects.Grains.Leadership;
using Microsoft.Extensions.DependencyInjection;
using KeyProjects.Silo.Hosting;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Silo.Storage;
using KeyProjects.Grains.Notifications;
using KeyProjects.Tests.Infrastructure;
using Orleans.TestingHost;

namespace KeyProjects.Tests.Grains;

/// <summary>
/// A real in-process Orleans cluster whose grains keep their state (and reminders) in a fresh PostgreSQL database.
/// Grains read a manual clock that starts on Thursday 17 Sep 2026, 10:00 Beijing time; a running deadline's reminder looks
/// at that clock at least every second of real time (the clock jumps, so its next instant comes any moment).
/// </summary>
public sealed class GrainCluster : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 9, 17, 10, 0, 0, TimeSpan.FromHours(8));
    public static readonly Actor Leader = new("leader-1", "张副市长", Role.Leadership, null);

    public ManualClock Clock { get; } = new(Start);
    public static readonly Actor Office = new("office", "项目办", Role.Office, null);

    public InProcessTestCluster Cluster { get; private set; } = default!;
    public IGrainFactory Grains => Cluster.Client;
    public StorageSettings Storage { get; private set; } = default!;

    /// <summary>The read model the grains' events keep, in the same database.</summary>
    public ReadModelQueries ReadModel => new(Storage);

    public Task<IReadOnlyList<InboxItem>> Inbox(string departmentId) => ReadModel.Inbox(departmentId);

    public async Task<DepartmentFigures> Figures(string departmentId) =>
        (await ReadModel.Figures([(await Grains.GetGrain<IDepartmentGrain>(departmentId).GetProfile())!], Clock.GetUtcNow()))[0];

    public Task<IReadOnlyList<MailboxEntry>> Mailbox(string mailbox) => ReadModel.Notifications([mailbox], 100);

    public async Task InitializeAsync()
    {
        Storage = new StorageSettings(StorageProvider.PostgreSql, await (await PostgresServer.Instance).CreateDatabaseAsync("grains"));
        await SchemaMigrator.ApplyAsync(Storage);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddKeyProjectsStorage(Storage, deadlineLongestWait: TimeSpan.FromSeconds(1));
            silo.Services.AddSingleton<TimeProvider>(Clock);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();

        foreach (var (id, name) in new[] { ("land", "自然资源和规划局"), ("dev", "发展和改革局"), ("town", "南湖镇") })
            Assert.True((await Grains.GetGrain<IDepartmentGrain>(id).Register(Office, new DepartmentProfile(id, name, DepartmentKind.Department))).Succeeded);
        Assert.True((await Grains.GetGrain<IProjectGrain>("P-1").Register(Office, Project("P-1"))).Succeeded);
        Assert.True((await Grains.GetGrain<ILeadershipGroupGrain>(ILeadershipGroupGrain.City)
            .SetMember(Office, new Leader("L01", Leader.DisplayName, "副市长", Leader.UserName), ["P-1"])).Succeeded);
    }

    public static ProjectProfile Project(string code) => new(code, $"测试项目{code}", ProjectCategory.Industrial, ProjectType.New,
        ProjectLevel.City, ProjectStage.UnderConstruction, "南湖镇", "测试业主", "L01", "dev", 10000, 3000, 1000,
        new DateOnly(2026, 3, 1), new DateOnly(2027, 3, 1), new DateOnly(2026, 3, 5), "主体施工", 30, false);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
