using KeyProjects.Silo.EventLog;
using KeyProjects.Silo.Hosting;
using KeyProjects.Silo.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

// The standalone silo (production). `migrate` applies the schema and exits; `verify-audit` verifies the event log's
// hash chains and exits (0 when every chain holds, 1 naming the first broken event); otherwise the schema is applied
// at start and the silo runs until stopped. Requires ConnectionStrings:KeyProjects (PostgreSQL).
string[] commands = ["migrate", "verify-audit"];
var builder = Host.CreateApplicationBuilder(args.Where(a => !commands.Contains(a)).ToArray());
var storage = StorageSettings.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
if (storage.Provider != StorageProvider.PostgreSql)
{
    Console.Error.WriteLine("The standalone silo needs ConnectionStrings__KeyProjects (PostgreSQL). For the embedded mode run src/Web alone.");
    return 2;
}

using (var loggerFactory = LoggerFactory.Create(b => b.AddConsole()))
{
    var applied = await SchemaMigrator.ApplyAsync(storage, loggerFactory.CreateLogger("KeyProjects.Schema"));
    Console.WriteLine(applied.Count == 0 ? "Schema is up to date." : $"Applied schema: {string.Join(", ", applied)}");
}
if (args.Contains("migrate")) return 0;
if (args.Contains("verify-audit"))
{
    var report = await AuditVerifier.VerifyAsync(storage);
    Console.WriteLine(report.FirstBroken is { } broken
        ? $"Audit FAILED: event {broken.Position} ({broken.Stream} #{broken.Sequence}): {broken.Reason}. {report.Events} events in {report.Streams} streams."
        : $"Audit verified: {report.Events} events in {report.Streams} streams, every hash chain holds.");
    return report.Verified ? 0 : 1;
}

builder.Logging.QuietResilienceLogs().UseJsonConsoleInProduction(builder.Environment);
builder.Services.AddSystemd(); // under systemd (Type=notify): readiness and stop signals; else nothing
builder.Services.AddKeyProjectsTelemetry(builder.Configuration, "keyprojects-silo");
builder.UseOrleans(silo => silo.UseKeyProjects(storage, OrleansSettings.FromConfiguration(builder.Configuration, builder.Environment.IsDevelopment())));
await builder.Build().RunAsync();
return 0;

/// <summary>The standalone silo. Internal: the web host has a Program of its own (the ASP.NET Core packages would make this one public).</summary>
internal partial class Program;
