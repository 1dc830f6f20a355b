using KeyProjects.Silo.ReadModel;
using Microsoft.Extensions.Configuration;
using KeyProjects.Grains.Departments;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Problems;
using KeyProjects.Grains.Projects;
using KeyProjects.Silo.Storage;
using KeyProjects.Tests.Infrastructure;

namespace KeyProjects.Tests.Grains;

/// <summary>The problem grain's rules on a real cluster with PostgreSQL storage.</summary>
public sealed class ProblemGrainTests(GrainCluster fixture) : IClassFixture<GrainCluster>
{
    private static Actor LandUser(int n) => new($"land-{n}", $"自然资源 {n}", Role.Department, "land");
    private static readonly Actor DevUser = new("dev-1", "发改 1", Role.Department, "dev");

    private async Task<IProblemGrain> RaiseAsync(IReadOnlyList<string>? assisting = null)
    {
        var grain = fixture.Grains.GetGrain<IProblemGrain>(Guid.NewGuid());
        var result = await grain.Raise(new RaiseProblem(Guid.NewGuid().ToString("N"), GrainCluster.Office, "P-1", "用地指标不足",
            "二期用地", ProblemCategory.Land, "land", assisting ?? [], null, null));
        Assert.Equal(OutcomeKind.Ok, result.Outcome.Kind);
        return grain;
    }

    [Fact]
    public async Task Of_twenty_concurrent_claims_exactly_one_succeeds()
    {
        var problem = await RaiseAsync();

        var results = await Task.WhenAll(Enumerable.Range(1, 20).Select(n => problem.Claim($"claim-{n}", LandUser(n))));

        Assert.Single(results, r => r.Outcome.Kind == OutcomeKind.Ok);
        Assert.Equal(19, results.Count(r => r.Outcome.Kind == OutcomeKind.Conflict));
        var view = (await problem.Get())!;
        Assert.Single(view.History, h => h.Action == ProblemActions.Claimed);
        Assert.Equal(results.Single(r => r.Outcome.Succeeded).Problem!.ClaimedBy, view.ClaimedBy);
    }

    [Fact]
    public async Task A_claim_from_another_department_is_forbidden_and_changes_nothing()
    {
        var problem = await RaiseAsync(assisting: ["dev"]);

        var result = await problem.Claim("c1", DevUser);
        var office = await problem.Claim("c2", GrainCluster.Office);

        Assert.Equal(OutcomeKind.Forbidden, result.Outcome.Kind);
        Assert.Equal(OutcomeKind.Forbidden, office.Outcome.Kind);
        var view = (await problem.Get())!;
        Assert.Equal(ProblemStatus.Routed, view.Summary.Status);
        Assert.Single(view.History);
    }

    [Fact]
    public async Task A_key_reused_for_another_command_or_user_is_a_conflict()
    {
        var problem = await RaiseAsync();
        Assert.True((await problem.Claim("k", LandUser(1))).Outcome.Succeeded);

        var replay = await problem.Claim("k", LandUser(1));
        var otherCommand = await problem.SubmitResolution("k", LandUser(1), "done");
        var otherUser = await problem.Claim("k", LandUser(2));

        Assert.Equal(OutcomeKind.Ok, replay.Outcome.Kind);
        Assert.Equal("command.key_reused", otherCommand.Outcome.Code);
        Assert.Equal("command.key_reused", otherUser.Outcome.Code);
        Assert.Equal(2, (await problem.Get())!.History.Count);
    }

    [Fact]
    public async Task A_raise_retried_with_its_key_returns_the_same_problem_but_the_key_cannot_raise_another()
    {
        var grain = fixture.Grains.GetGrain<IProblemGrain>(Guid.NewGuid());
        RaiseProblem Command(string title) => new("raise-key", GrainCluster.Office, "P-1", title, "", ProblemCategory.Funds, "dev", [], null, null);

        var first = await grain.Raise(Command("资金缺口"));
        var retry = await grain.Raise(Command("资金缺口"));
        var different = await grain.Raise(Command("另一个问题"));

        Assert.True(first.Outcome.Succeeded);
        Assert.True(retry.Outcome.Succeeded);
        Assert.Equal(first.Problem!.Summary.Id, retry.Problem!.Summary.Id);
        Assert.Equal("command.key_reused", different.Outcome.Code);
        Assert.Equal("资金缺口", (await grain.Get())!.Summary.Title);
        Assert.Single(await fixture.ReadModel.ProblemList(new ProblemFilter { ProjectCode = "P-1" }), p => p.Id == grain.GetPrimaryKey());
    }

    [Fact]
    public async Task Inbox_and_project_list_are_kept_by_their_grains()
    {
        var problem = await RaiseAsync(assisting: ["town"]);
        var id = problem.GetPrimaryKey();
        await problem.Claim("c", LandUser(1));

        var leadInbox = await fixture.Inbox("land");
        var assistingInbox = await fixture.Inbox("town");
        var projectProblems = await fixture.ReadModel.ProblemList(new ProblemFilter { ProjectCode = "P-1" });

        Assert.Contains(leadInbox, i => i.Problem.Id == id && i.Involvement == Involvement.Lead && i.Problem.Status == ProblemStatus.InProgress);
        Assert.Contains(assistingInbox, i => i.Problem.Id == id && i.Involvement == Involvement.Assisting);
        Assert.Contains(projectProblems, p => p.Id == id && p.Status == ProblemStatus.InProgress);
        Assert.DoesNotContain(await fixture.Inbox("dev"), i => i.Problem.Id == id);
    }

    [Fact]
    public async Task State_is_read_back_from_PostgreSQL_after_deactivation()
    {
        var problem = await RaiseAsync();
        await problem.Claim("c", LandUser(3));
        await problem.SubmitResolution("r", LandUser(3), "已解决");

        await fixture.Cluster.DeactivateAsync(problem);
        await fixture.Cluster.DeactivateAsync(fixture.Grains.GetGrain<IDepartmentGrain>("land"));

        var view = (await problem.Get())!;
        Assert.Equal(ProblemStatus.ResolutionSubmitted, view.Summary.Status);
        Assert.Equal("已解决", view.Resolution);
        Assert.Equal([ProblemActions.Raised, ProblemActions.Claimed, ProblemActions.ResolutionSubmitted], view.History.Select(h => h.Action));
        Assert.Contains(await fixture.Inbox("land"), i => i.Problem.Id == problem.GetPrimaryKey());
    }

    [Fact]
    public async Task Grain_types_sharing_a_key_keep_separate_state()
    {
        var department = fixture.Grains.GetGrain<IDepartmentGrain>("same-key");
        var project = fixture.Grains.GetGrain<IProjectGrain>("same-key");
        Assert.True((await department.Register(GrainCluster.Office, new DepartmentProfile("same-key", "同名部门", DepartmentKind.Town))).Succeeded);
        Assert.True((await project.Register(GrainCluster.Office, GrainCluster.Project("same-key"))).Succeeded);

        await fixture.Cluster.DeactivateAsync(department);
        await fixture.Cluster.DeactivateAsync(project);

        Assert.Equal("同名部门", (await department.GetProfile())!.Name);
        Assert.Equal("测试项目same-key", (await project.GetProfile())!.Name);
    }

    [Fact]
    public async Task Grain_state_keeps_chinese_readable_in_the_database()
    {
        var department = fixture.Grains.GetGrain<IDepartmentGrain>("readable");
        Assert.True((await department.Register(GrainCluster.Office, new DepartmentProfile("readable", "城乡建设可读局", DepartmentKind.Department))).Succeeded);
        await using var connection = new Npgsql.NpgsqlConnection(fixture.Storage.ConnectionString);
        var rows = await Dapper.SqlMapper.QueryAsync<byte[]>(connection,
            "SELECT payloadbinary FROM orleansstorage WHERE graintypestring ILIKE '%department%' AND payloadbinary IS NOT NULL");
        var stored = rows.Select(System.Text.Encoding.UTF8.GetString).ToList();
        Assert.Contains(stored, json => json.Contains("城乡建设可读局", StringComparison.Ordinal));
        Assert.DoesNotContain(stored, json => json.Contains("\\u57CE", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Raising_on_an_unknown_project_or_department_is_refused_and_leaves_no_problem()
    {
        var unknownProject = fixture.Grains.GetGrain<IProblemGrain>(Guid.NewGuid());
        var unknownDepartment = fixture.Grains.GetGrain<IProblemGrain>(Guid.NewGuid());

        var a = await unknownProject.Raise(new RaiseProblem("k", GrainCluster.Office, "nope", "t", "", ProblemCategory.Land, "land", [], null, null));
        var b = await unknownDepartment.Raise(new RaiseProblem("k", GrainCluster.Office, "P-1", "t", "", ProblemCategory.Land, "ghost", [], null, null));

        Assert.Equal(OutcomeKind.NotFound, a.Outcome.Kind);
        Assert.Equal("leadDepartmentId", b.Outcome.Field);
        Assert.Null(await unknownProject.Get());
        Assert.Null(await unknownDepartment.Get());
    }
}

/// <summary>The schema KeyProjects owns is applied once, even by several starters at the same moment.</summary>
public sealed class SchemaMigratorTests
{
    [Fact]
    public async Task Concurrent_migrations_on_PostgreSQL_apply_each_script_once()
    {
        var storage = new StorageSettings(StorageProvider.PostgreSql, await (await PostgresServer.Instance).CreateDatabaseAsync("schema"));

        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => SchemaMigrator.ApplyAsync(storage)));
        var again = await SchemaMigrator.ApplyAsync(storage);

        Assert.Equal(SchemaMigrator.Scripts(StorageProvider.PostgreSql).Select(s => s.Name), runs.SelectMany(r => r).Order());
        Assert.Empty(again);
    }

    [Fact]
    public async Task The_embedded_database_is_migrated_once()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"kp-schema-{Guid.NewGuid():N}");
        try
        {
            var config = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(
                new Dictionary<string, string?> { ["KeyProjects:DataDirectory"] = dir }).Build();
            var storage = StorageSettings.FromConfiguration(config, dir);

            var first = await SchemaMigrator.ApplyAsync(storage);
            var second = await SchemaMigrator.ApplyAsync(storage);

            Assert.Equal(SchemaMigrator.Scripts(StorageProvider.Sqlite).Select(s => s.Name), first);
            Assert.Empty(second);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
