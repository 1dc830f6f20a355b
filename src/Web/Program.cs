using System.Globalization;
using System.Text.Json.Serialization;
using KeyProjects.Silo.Commands;
using KeyProjects.Silo.ReadModel;
using KeyProjects.Silo.Storage;
using KeyProjects.Web.Api;
using KeyProjects.Web.Components;
using KeyProjects.Web.Demo;
using KeyProjects.Web.Health;
using KeyProjects.Web.Hosting;
using KeyProjects.Web.Identity;
using KeyProjects.Web.Live;
using KeyProjects.Web.Services;
using KeyProjects.Web.WarRoom;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Localization;
using Radzen;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
// Pages need the packages' static files (Radzen, the Blazor script) in every environment when run from a build,
// not only in Development (a published build serves them from its own wwwroot; then this does nothing).
builder.WebHost.UseStaticWebAssets();
builder.Services.AddSystemd(); // under systemd (Type=notify): readiness and stop signals, journal-friendly logs; else nothing
// The address: --urls, ASPNETCORE_URLS or Kestrel settings decide; without any, http://localhost:5080.
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
    builder.WebHost.UseUrls("http://localhost:5080");

// Storage: PostgreSQL when ConnectionStrings:KeyProjects is set, else the embedded file database under data/.
var storage = StorageSettings.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
// The demo city (and its published demo passwords) only where asked for, or by default in embedded mode outside
// Production; never in Production, where the first administrator is created on the one-time set-up page.
var demoMode = builder.Configuration.GetValue("KeyProjects:Demo", storage.Provider == StorageProvider.Sqlite && !builder.Environment.IsProduction());
if (demoMode && builder.Environment.IsProduction())
{
    Console.Error.WriteLine("KeyProjects:Demo=true is refused in Production: the demo accounts have a published password. Unset it, or run another environment.");
    return 2;
}
// A bad password policy stops start-up here, naming the setting (not at the first sign-in).
try
{
    KeyProjects.Web.Identity.PasswordPolicy.Apply(new Microsoft.AspNetCore.Identity.PasswordOptions(), builder.Configuration.GetSection("KeyProjects:Passwords"));
    KeyProjects.Web.Identity.SessionActivity.Read(builder.Configuration); // the idle timeout
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
// The schema is applied at start unless a separate step does it (`src/Silo -- migrate`): then web hosts need no DDL
// rights (KeyProjects:Schema:ApplyAtStart=false). The embedded file database always applies its own.
if (storage.Provider == StorageProvider.Sqlite || builder.Configuration.GetValue("KeyProjects:Schema:ApplyAtStart", true))
    await SchemaMigrator.ApplyAsync(storage);

builder.Services.AddSingleton(storage);
builder.Services.AddSingleton(new DemoMode(demoMode));
builder.AddKeyProjectsOrleans(storage, demoMode);
builder.Services.AddSingleton<FirstAdministrator>(); // the set-up page asks it; it opens only on a city without an administrator
if (demoMode) builder.Services.AddHostedService<DemoSeeder>(); // after the silo, so it starts once the silo runs
else builder.Services.AddHostedService(sp => sp.GetRequiredService<FirstAdministrator>());
builder.Services.AddHostedService<RosterUpgrade>();

// The key ring that signs cookies and tokens lives in the database, encrypted at rest with a certificate (required
// outside Development: without it, or with one that does not load, start-up stops here naming the setting).
System.Security.Cryptography.X509Certificates.X509Certificate2? keyCertificate;
try
{
    keyCertificate = KeyProjects.Web.Identity.DataProtectionKeys.Certificate(builder.Configuration, required: !builder.Environment.IsDevelopment());
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
builder.Services.AddKeyProjectsIdentity(storage, keyCertificate, builder.Configuration);

builder.Services.AddSingleton<ReadModelQueries>();
builder.Services.AddSingleton<CommandKeyStore>();
builder.Services.AddHostedService<CommandKeyExpiry>();
builder.Services.AddSingleton<KeyProjects.Web.Identity.ReadAccess>();
builder.Services.AddSingleton<ProblemService>();
builder.Services.AddSingleton<ProjectService>();
builder.Services.AddSingleton<ProjectFileService>();
builder.Services.AddSingleton<ReportService>();
builder.Services.AddSingleton<KeyProjects.Silo.Storage.PhotoStore>();
builder.Services.AddSingleton<KeyProjects.Silo.Storage.AuditStore>();
builder.Services.AddHttpContextAccessor();
builder.Services.AddSingleton<AuditLog>();
builder.Services.AddSingleton<ReportPhotoService>();
builder.Services.AddSingleton<FigureQueries>();
builder.Services.AddSingleton<FigureService>();
builder.Services.AddSingleton<RankingService>();
builder.Services.AddSingleton<BulletinService>();
builder.Services.AddSingleton<CityFileService>();
builder.Services.AddSingleton<FactorService>();
builder.Services.AddSingleton<DepartmentService>();
builder.Services.AddSingleton<DirectiveService>();
builder.Services.AddSingleton<MeetingService>();
builder.Services.AddSingleton<CommandViewsService>();
builder.Services.AddSingleton<BellService>();
builder.Services.AddSingleton<SettingsService>();
builder.Services.AddSingleton<DeadlineClock>();
builder.Services.AddSingleton<KioskTokenService>();
builder.Services.AddSingleton<UserAdminService>();
builder.Services.AddSingleton<DepartmentAdminService>();
builder.Services.AddSingleton<LeadershipAdminService>();
builder.Services.AddSingleton<SessionCheck>();
builder.Services.AddSingleton<HubSessions>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<HubSessions>());
builder.Services.AddScoped<SignInGuard>();
builder.Services.AddSingleton<WarRoomService>();
builder.Services.AddSingleton<CurrentWarRoom>();
builder.Services.AddSingleton<KeyProjects.Web.Meetings.CurrentMeeting>();
builder.Services.AddSingleton<LiveUpdates>();
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddSingleton<LiveFeedSubscription>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveFeedSubscription>());
builder.Services.AddHostedService<WarRoomForwarder>();

builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>("ready", tags: ["ready"]);
builder.Services.AddSignInLimits(builder.Configuration);
builder.Services.AddProxyHeaders(builder.Configuration);
// Hub clients choose JSON (browsers) or MessagePack (compact, cheaper to parse for many or busy clients).
builder.Services.AddSignalR()
    .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
    .AddMessagePackProtocol();

builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddRadzenComponents();
builder.Services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, KioskRevalidation>();

var app = builder.Build();

app.UseForwardedHeaders(); // first: everything after sees the public scheme and host
app.UseExceptionHandler();
// The API and the hub answer a bare status with ProblemDetails; a page request that ends in a bare status (an address
// that leads nowhere, a page not for this role) shows the friendly page for that status.
app.UseWhen(IsApi, api => api.UseStatusCodePages());
app.UseWhen(http => !IsApi(http), pages => pages.UseStatusCodePagesWithReExecute("/error/{0}", createScopeForStatusCodePages: true));
app.UseRouting(); // after the status-code pages, so a re-executed request is routed again
app.UseSecurityHeaders();
app.UseRateLimiter();
var cultures = new[] { new CultureInfo("zh-CN"), new CultureInfo("en") };
var localization = new RequestLocalizationOptions
{
    DefaultRequestCulture = new RequestCulture("zh-CN"),
    SupportedCultures = cultures,
    SupportedUICultures = cultures,
};
// Chinese whatever the browser's language; English only when asked for (?culture=en, or the culture cookie).
localization.RequestCultureProviders = localization.RequestCultureProviders
    .Where(p => p is not AcceptLanguageHeaderRequestCultureProvider).ToList();
app.UseRequestLocalization(localization);
// ?culture=en (or zh-CN) sticks: the choice is kept in the culture cookie, so the live connection and later pages keep it.
app.Use((http, next) =>
{
    if (http.Request.Query["culture"].ToString() is { Length: > 0 } asked && cultures.Any(c => c.Name.Equals(asked, StringComparison.OrdinalIgnoreCase)))
        http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(asked)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/" });
    return next(http);
});
app.UseHubOriginCheck(WarRoomHub.Path, app.Configuration);
app.UseAuthentication();
SessionCheck.UseSessionCheck(app);
app.UseKioskReadOnly();
app.UseAuthorization();
app.UseIdempotencyKeys();
app.UseAntiforgery();

app.MapStaticAssets();
// The API's description and its reference page: open while developing, behind sign-in in Production.
var openApi = app.MapOpenApi();
var apiReference = app.MapScalarApiReference();
if (app.Environment.IsProduction())
{
    // The city's officials, not wall screens (ReadAccess).
    openApi.RequireAuthorization(KeyProjects.Web.Identity.ReadPolicies.Officials);
    apiReference.RequireAuthorization(KeyProjects.Web.Identity.ReadPolicies.Officials);
}
// Liveness: the process answers (no dependency checked, so a database outage does not restart it); readiness: the
// cluster and the database answer (and, in demo mode, the demo city is seeded).
app.MapHealthChecks("/health/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
app.MapAccountEndpoints();
app.MapDirectoryEndpoints();
app.MapProjectEndpoints();
app.MapProblemEndpoints();
app.MapDirectiveEndpoints();
app.MapMeetingEndpoints();
app.MapDeskEndpoints();
app.MapSettingsEndpoints();
app.MapAdminEndpoints();
app.MapWarRoomEndpoints();
app.MapFigureEndpoints();
app.MapRankingEndpoints();
app.MapFactorEndpoints();
// The Orleans Dashboard (silos, grains, calls, reminders) for administrators only.
Orleans.Dashboard.ServiceCollectionExtensions.MapOrleansDashboard(app, "/dashboard")
    .RequireAuthorization(p => p.RequireRole(nameof(KeyProjects.Grains.Domain.Role.Admin)));
app.MapKioskSignIn();
app.MapHub<WarRoomHub>(WarRoomHub.Path);
// Our own CSP carries frame-ancestors (SecurityHeaders); Blazor would add a second, weaker one (frame-ancestors 'self').
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);

app.Lifetime.ApplicationStarted.Register(() =>
{
    var urls = string.Join(", ", app.Urls);
    Console.WriteLine($"KeyProjects command centre is running at {urls} ({storage.Provider}{(demoMode ? ", demo city" : "")}).");
    CultureInfo.CurrentUICulture = cultures[0];
    var text = app.Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<KeyProjects.Web.SharedResource>>();
    if (demoMode)
        Console.WriteLine($"演示账号 Demo accounts (password {DemoCity.Password}): " + string.Join(", ", DemoCity.Accounts.Select(a => $"{a.UserName}（{text["Role." + a.Role]}）")));
});

app.Run();
return 0;

static bool IsApi(HttpContext http) =>
    http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/hubs") ||
    http.Request.Path.StartsWithSegments("/health") || http.Request.Path.StartsWithSegments("/openapi");
