using System.Security.Cryptography;
using System.Text;
using KeyProjects.Grains.Domain;
using KeyProjects.Grains.Office;
using Microsoft.AspNetCore.Identity;

namespace KeyProjects.Web.Identity;

/// <summary>
/// First start in production: a city with no administrator gets a one-time set-up token, printed on this host's
/// console (and log) at start, never stored; the set-up page (<c>/setup</c>) creates the first administrator with it
/// once, and closes for good (the command office records who it was). There is no default account or password.
/// </summary>
public sealed class FirstAdministrator(IGrainFactory grains, IServiceScopeFactory scopes, ILogger<FirstAdministrator> logger) : IHostedService
{
    private readonly Lock _gate = new();
    private string? _token;

    private ICommandOfficeGrain Office => grains.GetGrain<ICommandOfficeGrain>(ICommandOfficeGrain.City);

    /// <summary>Whether this host offers the set-up page (no administrator yet, token not used).</summary>
    public bool IsOpen
    {
        get { lock (_gate) return _token is not null; }
    }

    public async Task StartAsync(CancellationToken ct)
    {
        if (await Office.GetFirstAdministrator() is not null) return;
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        lock (_gate) _token = token;
        logger.LogWarning("No administrator yet: open /setup and enter the one-time set-up token printed on this host's console.");
        Console.WriteLine($"首次启动：尚无系统管理员。请在浏览器中打开 /setup ，输入一次性设置令牌：{token}");
        Console.WriteLine($"First start: no administrator yet. Open /setup and enter the one-time set-up token: {token}");
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Creates the first administrator when the token is this host's and the city still has none.</summary>
    public async Task<IReadOnlyList<string>> Create(string? token, string userName, string displayName, string password)
    {
        string? expected;
        lock (_gate) expected = _token;
        if (expected is null || token is null ||
            !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token.Trim()), Encoding.UTF8.GetBytes(expected)))
            return ["Setup.BadToken"];
        if (await Office.GetFirstAdministrator() is not null)
        {
            Close();
            return ["Setup.Closed"];
        }
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrWhiteSpace(displayName)) return ["Setup.Required"];
        if (userName.Trim().Length > 64 || displayName.Trim().Length > KeyProjectsUser.DisplayNameMaxLength) return ["Setup.TooLong"];

        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KeyProjectsUser>>();
        var user = new KeyProjectsUser { UserName = userName.Trim(), DisplayName = displayName.Trim(), Role = Role.Admin };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded) return created.Errors.Select(e => e.Description).ToList();
        await Office.RecordFirstAdministrator(user.UserName);
        await scope.ServiceProvider.GetRequiredService<AuditLog>().Setup(user.UserName);
        await grains.GetGrain<KeyProjects.Grains.Accounts.IAccountDirectoryGrain>(KeyProjects.Grains.Accounts.IAccountDirectoryGrain.City).Record(
            new Actor("setup", "初始化令牌", Role.Admin, null),
            new KeyProjects.Grains.Accounts.AccountChanged("created", user.UserName, KeyProjects.Grains.Accounts.AccountListing.Of(user.ToRecord()), "以初始化令牌创建首位管理员"));
        Close();
        logger.LogWarning("The first administrator {UserName} was created; the set-up page is closed.", user.UserName);
        return [];
    }

    private void Close()
    {
        lock (_gate) _token = null;
    }
}
