using KeyProjects.Silo.Hosting;
using KeyProjects.Silo.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

// The standalone silo (production). `migrate` applies the schema and exits; otherwise the schema is applied at
// start and the silo runs until stopped. Requires ConnectionStrings:KeyProjects (PostgreSQL).
var builder = Host.CreateApplicationBuilder(args.Where(a => a != "migrate").ToArray());
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

builder.UseOrleans(silo => silo.UseKeyProjects(storage, OrleansSettings.FromConfiguration(builder.Configuration, builder.Environment.IsDevelopment())));
await builder.Build().RunAsync();
return 0;
