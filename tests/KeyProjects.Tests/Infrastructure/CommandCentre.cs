using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using KeyProjects.Web.Demo;

namespace KeyProjects.Tests.Infrastructure;

/// <summary>A running command centre reached over real HTTP on a real port, with demo accounts.</summary>
public abstract class CommandCentre : IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _tokens = new();

    public Uri BaseAddress { get; protected set; } = default!;
    protected string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"kp-data-{Guid.NewGuid():N}");

    public abstract string Mode { get; }

    /// <summary>When set, the next start stands the whole system on this instant (Development-only clock setting).</summary>
    public DateTimeOffset? ClockStartAt { get; set; }
    public abstract Task InitializeAsync();
    public abstract Task DisposeAsync();

    /// <summary>Stops every process of the command centre at once and starts them again on the same storage.</summary>
    public abstract Task RestartAsync();

    /// <summary>Forgets the bearer tokens (after the clock moved, the old ones have expired).</summary>
    public void ForgetSignIns() => _tokens.Clear();

    /// <summary>A client that gives every command (POST, PUT, DELETE) a new idempotency key unless the test set one.</summary>
    public HttpClient Anonymous(bool keyEveryCommand = true) =>
        new(keyEveryCommand ? new KeyEveryCommand { InnerHandler = new HttpClientHandler() } : new HttpClientHandler())
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    private string? _kioskToken;

    /// <summary>A wall screen's client: a read-only kiosk token an administrator issued (once for this command centre).</summary>
    public async Task<HttpClient> AsKiosk()
    {
        if (_kioskToken is null)
        {
            using var admin = await As("admin");
            using var issued = await admin.PostAsJsonAsync("/api/kiosk-tokens", new { name = "测试只读大屏" });
            _kioskToken = (await issued.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        }
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _kioskToken);
        return client;
    }

    /// <summary>An API client signed in with a bearer token as one of the demo accounts (or another user with its password).</summary>
    public async Task<HttpClient> As(string userName, bool keyEveryCommand = true, string? password = null)
    {
        if (!_tokens.TryGetValue(userName, out var token))
        {
            using var anonymous = Anonymous();
            using var response = await anonymous.PostAsJsonAsync("/api/auth/token", new { userName, password = password ?? DemoCity.Password });
            response.EnsureSuccessStatusCode();
            token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
            _tokens[userName] = token;
        }
        var client = Anonymous(keyEveryCommand);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Settings a fixture adds for its hosts (the telemetry collector's address…).</summary>
    protected Dictionary<string, string> Extra { get; } = [];

    protected Dictionary<string, string> CommonEnvironment() => new Dictionary<string, string>(Extra)
    {
        ["KeyProjects__DataDirectory"] = DataDirectory,
        ["KeyProjects__Demo"] = "true",
        // Running deadlines look at the clock at least every second (durable reminders), so tests need not wait long.
        ["KeyProjects__Deadlines__LongestWait"] = "00:00:01",
        // Every test client signs in from this machine; the limit itself is tested by StartupTests with the default.
        ["KeyProjects__SignIn__AttemptsPerMinute"] = "100000",
        // Open pages re-check their session (kiosk token, or the account's security stamp) every 2 s, so tests need not wait a minute.
        ["KeyProjects__Kiosk__RevalidateSeconds"] = "2",
    }.WithClock(ClockStartAt);
}

/// <summary>Adds a fresh Idempotency-Key to a command request that has none (what a well-behaved client does).</summary>
public sealed class KeyEveryCommand : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Get && !request.Headers.Contains("Idempotency-Key"))
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        return base.SendAsync(request, cancellationToken);
    }
}

internal static class EnvironmentExtensions
{
    public static Dictionary<string, string> WithClock(this Dictionary<string, string> env, DateTimeOffset? startAt)
    {
        if (startAt is { } at) env["KeyProjects__Clock__StartAt"] = at.ToString("O");
        return env;
    }
}

/// <summary>The embedded default: one web process co-hosting the silo, state in a SQLite file.</summary>
public class EmbeddedCommandCentre : CommandCentre
{
    private AppProcess? _web;
    private readonly int _httpPort = ProcessRunner.FreeTcpPort();
    private readonly int _siloPort = ProcessRunner.FreeTcpPort();
    private readonly int _gatewayPort = ProcessRunner.FreeTcpPort();

    public override string Mode => "embedded";

    public override async Task InitializeAsync()
    {
        BaseAddress = new Uri($"http://127.0.0.1:{_httpPort}");
        await StartAsync();
    }

    private async Task StartAsync()
    {
        var env = CommonEnvironment();
        env["KeyProjects__Orleans__SiloPort"] = _siloPort.ToString();
        env["KeyProjects__Orleans__GatewayPort"] = _gatewayPort.ToString();
        _web = AppProcess.StartWeb(env, _httpPort);
        await _web.WaitUntilReady(BaseAddress, TimeSpan.FromMinutes(3));
    }

    public override async Task RestartAsync()
    {
        await _web!.KillAsync();
        await StartAsync();
    }

    public override async Task DisposeAsync()
    {
        if (_web is not null) await _web.DisposeAsync();
        if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
    }
}

/// <summary>Production shape: a standalone silo process and the web host as an Orleans client, all on PostgreSQL.</summary>
public class ClusterCommandCentre : CommandCentre
{
    private AppProcess? _silo, _web;
    private readonly int _httpPort = ProcessRunner.FreeTcpPort();
    private readonly int _siloPort = ProcessRunner.FreeTcpPort();
    private readonly int _gatewayPort = ProcessRunner.FreeTcpPort();
    private string _connectionString = "";

    public override string Mode => "cluster";

    public override async Task InitializeAsync()
    {
        BaseAddress = new Uri($"http://127.0.0.1:{_httpPort}");
        _connectionString = await (await PostgresServer.Instance).CreateDatabaseAsync("api");
        await StartAsync();
    }

    private async Task StartAsync()
    {
        var env = CommonEnvironment();
        env["ConnectionStrings__KeyProjects"] = _connectionString;
        env["KeyProjects__Orleans__ClusterId"] = "test-" + _httpPort;
        env["KeyProjects__Orleans__SiloPort"] = _siloPort.ToString();
        env["KeyProjects__Orleans__GatewayPort"] = _gatewayPort.ToString();
        _silo = AppProcess.StartSilo(env);
        _web = AppProcess.StartWeb(env, _httpPort);
        try
        {
            await _web.WaitUntilReady(BaseAddress, TimeSpan.FromMinutes(3));
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{e.Message}\n--- silo ---\n{_silo.Output}", e);
        }
    }

    public override async Task RestartAsync()
    {
        await _web!.KillAsync();
        await _silo!.KillAsync();
        await StartAsync();
    }

    public override async Task DisposeAsync()
    {
        if (_web is not null) await _web.DisposeAsync();
        if (_silo is not null) await _silo.DisposeAsync();
        if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
    }
}

/// <summary>
/// Production shape with two web hosts: a standalone silo on PostgreSQL, the "screen" host a wall browser is open on,
/// and the "api" host (<see cref="CommandCentre.BaseAddress"/>) through which users keep working while the screen
/// host is down. The screen host can be killed and started again on the same port.
/// </summary>
public sealed class TwoHostCommandCentre : CommandCentre
{
    private AppProcess? _silo, _api, _screen;
    private readonly int _apiPort = ProcessRunner.FreeTcpPort();
    private readonly int _screenPort = ProcessRunner.FreeTcpPort();
    private readonly int _siloPort = ProcessRunner.FreeTcpPort();
    private readonly int _gatewayPort = ProcessRunner.FreeTcpPort();
    private Dictionary<string, string> _environment = [];

    public override string Mode => "cluster, two web hosts";
    public Uri ScreenAddress { get; private set; } = default!;

    public override async Task InitializeAsync()
    {
        BaseAddress = new Uri($"http://127.0.0.1:{_apiPort}");
        ScreenAddress = new Uri($"http://127.0.0.1:{_screenPort}");
        _environment = CommonEnvironment();
        _environment["ConnectionStrings__KeyProjects"] = await (await PostgresServer.Instance).CreateDatabaseAsync("warroom");
        _environment["KeyProjects__Orleans__ClusterId"] = "test-" + _apiPort;
        _environment["KeyProjects__Kiosk__RevalidateSeconds"] = "1"; // an open screen notices a revoked token at once
        _environment["KeyProjects__Orleans__SiloPort"] = _siloPort.ToString();
        _environment["KeyProjects__Orleans__GatewayPort"] = _gatewayPort.ToString();
        _silo = AppProcess.StartSilo(_environment);
        _api = AppProcess.StartWeb(_environment, _apiPort);
        await _api.WaitUntilReady(BaseAddress, TimeSpan.FromMinutes(3));
        await StartScreenHostAsync();
    }

    public async Task StartScreenHostAsync()
    {
        _screen = AppProcess.StartWeb(_environment, _screenPort);
        await _screen.WaitUntilReady(ScreenAddress, TimeSpan.FromMinutes(3));
    }

    public async Task KillScreenHostAsync() => await _screen!.KillAsync();

    public override Task RestartAsync() => throw new NotSupportedException("Restart the screen host alone.");

    public override async Task DisposeAsync()
    {
        foreach (var process in new[] { _screen, _api, _silo })
            if (process is not null) await process.DisposeAsync();
        if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
    }
}
