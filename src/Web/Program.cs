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

// Storage: PostgreSQL when ConnectionStrings:KeyProjects is set, else the embedded file database under data/.
var storage = StorageSettings.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
var demoMode = builder.Configuration.GetValue("KeyProjects:Demo", storage.Provider == StorageProvider.Sqlite);
await SchemaMigrator.ApplyAsync(storage);

builder.Services.AddSingleton(storage);
builder.AddKeyProjectsOrleans(storage);
if (demoMode) builder.Services.AddHostedService<DemoSeeder>(); // after the silo, so it starts once the silo runs

var keysDirectory = builder.Configuration["KeyProjects:DataProtectionKeys"]
    ?? Path.Combine(Path.GetFullPath(builder.Configuration["KeyProjects:DataDirectory"] ?? "data", builder.Environment.ContentRootPath), "keys");
builder.Services.AddKeyProjectsIdentity(keysDirectory);

builder.Services.AddSingleton<ReadModelQueries>();
builder.Services.AddSingleton<CommandKeyStore>();
builder.Services.AddHostedService<CommandKeyExpiry>();
builder.Services.AddSingleton<ProblemService>();
builder.Services.AddSingleton<ProjectService>();
builder.Services.AddSingleton<DepartmentService>();
builder.Services.AddSingleton<DirectiveService>();
builder.Services.AddSingleton<CommandViewsService>();
builder.Services.AddSingleton<BellService>();
builder.Services.AddSingleton<SettingsService>();
builder.Services.AddSingleton<WarRoomService>();
builder.Services.AddSingleton<CurrentWarRoom>();
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
builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>("ready");
// Hub clients choose JSON (browsers) or MessagePack (compact, cheaper to parse for many or busy clients).
builder.Services.AddSignalR()
    .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
    .AddMessagePackProtocol();

builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddRadzenComponents();
builder.Services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, KioskRevalidation>();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
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
app.UseHubOriginCheck(WarRoomHub.Path, app.Configuration);
app.UseAuthentication();
app.UseKioskReadOnly();
app.UseAuthorization();
app.UseIdempotencyKeys();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapOpenApi();
app.MapScalarApiReference();
app.MapHealthChecks("/health/ready");
app.MapAccountEndpoints();
app.MapDirectoryEndpoints();
app.MapProblemEndpoints();
app.MapDirectiveEndpoints();
app.MapDeskEndpoints();
app.MapSettingsEndpoints();
app.MapWarRoomEndpoints();
app.MapKioskSignIn();
app.MapHub<WarRoomHub>(WarRoomHub.Path);
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Lifetime.ApplicationStarted.Register(() =>
{
    var urls = string.Join(", ", app.Urls);
    Console.WriteLine($"KeyProjects command centre is running at {urls} ({storage.Provider}{(demoMode ? ", demo city" : "")}).");
    if (demoMode)
        Console.WriteLine($"Demo accounts (password {DemoCity.Password}): " + string.Join(", ", DemoCity.Accounts.Select(a => $"{a.UserName} [{a.Role}]")));
});

app.Run();
