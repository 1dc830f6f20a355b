using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dapper;
using KeyProjects.Silo.Storage;
using KeyProjects.Tests.Infrastructure;
using KeyProjects.Web.Identity;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KeyProjects.Tests.Api;

/// <summary>
/// The key ring that signs sign-in cookies and bearer tokens: in the database (every web host reads the same keys),
/// encrypted at rest with the configured certificate (a copy of the database alone reads nothing), required in Production.
/// </summary>
public sealed class DataProtectionKeyTests
{
    [Fact]
    public async Task The_keys_are_in_the_database_encrypted_with_the_certificate_and_another_host_with_it_reads_what_the_first_protected()
    {
        var storage = new StorageSettings(StorageProvider.PostgreSql, await (await PostgresServer.Instance).CreateDatabaseAsync("keys"));
        await SchemaMigrator.ApplyAsync(storage);
        var certificateFile = KeyCertificate.Write("CN=KeyProjects data protection (key test)");

        var first = Protector(storage, Load(certificateFile));
        var token = first.Protect("会话：zrzy");

        // One key, in the table, its secret encrypted with the certificate: no plain key material in the row.
        await using (var connection = KeyProjects.Silo.ReadModel.Database.Open(storage))
        {
            var rows = (await connection.QueryAsync<string>("SELECT xml FROM kp_data_protection_keys")).ToList();
            var xml = Assert.Single(rows);
            Assert.Contains("encryptedSecret", xml);
            Assert.Contains("EncryptedData", xml);
            Assert.DoesNotContain("<value>", xml);
            Assert.DoesNotContain("unencrypted", xml);
        }

        // Another web host (its own services, the same database, the certificate loaded again) reads the token.
        Assert.Equal("会话：zrzy", Protector(storage, Load(certificateFile)).Unprotect(token));

        // With another certificate the stored key cannot be read: neither can the token.
        var stranger = Protector(storage, Load(KeyCertificate.Write("CN=someone else")));
        Assert.ThrowsAny<CryptographicException>(() => stranger.Unprotect(token));
    }

    [Fact]
    public async Task In_production_a_web_host_without_the_certificate_stops_at_start_up_naming_the_setting()
    {
        var port = ProcessRunner.FreeTcpPort();
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["KeyProjects__DataDirectory"] = Path.Combine(Path.GetTempPath(), $"kp-keys-{Guid.NewGuid():N}"),
        };
        await using (var web = AppProcess.StartWeb(env, port))
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => web.WaitUntilReady(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromMinutes(2)));
            Assert.Contains("exited with 2", refused.Message);
            Assert.Contains("KeyProjects:DataProtection:Certificate is not set", refused.Message);
        }
        // A file that is not a certificate with its key is named too.
        var notACertificate = Path.Combine(Path.GetTempPath(), $"kp-not-a-cert-{Guid.NewGuid():N}.pfx");
        await File.WriteAllTextAsync(notACertificate, "不是证书");
        env["KeyProjects__DataProtection__Certificate"] = notACertificate;
        await using (var web = AppProcess.StartWeb(env, port))
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => web.WaitUntilReady(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromMinutes(2)));
            Assert.Contains($"KeyProjects:DataProtection:Certificate is '{notACertificate}'", refused.Message);
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // a shell script for the city's Linux servers
    public async Task The_deployment_kits_script_makes_a_certificate_the_web_host_loads()
    {
        var file = Path.Combine(Path.GetTempPath(), $"kp-script-cert-{Guid.NewGuid():N}", "keyprojects-keys.pfx");
        var psi = new System.Diagnostics.ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppProcess.RepositoryRoot, "deploy", "make-key-certificate.sh"));
        psi.ArgumentList.Add(file);
        psi.Environment["KP_KEY_CERT_PASSWORD"] = "City-2026-keys";
        psi.Environment["KP_KEY_CERT_OWNER"] = Environment.UserName; // the account the web host runs as
        using var process = System.Diagnostics.Process.Start(psi)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(file)); // readable by its owner only
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DataProtectionKeys.CertificateSetting] = file,
            [DataProtectionKeys.PasswordSetting] = "City-2026-keys",
        }).Build();
        using var certificate = DataProtectionKeys.Certificate(settings, required: true)!;
        Assert.True(certificate.HasPrivateKey);
        // The wrong password is named, not a stack trace.
        settings[DataProtectionKeys.PasswordSetting] = "wrong";
        var refused = Assert.Throws<InvalidOperationException>(() => DataProtectionKeys.Certificate(settings, required: true));
        Assert.Contains(DataProtectionKeys.PasswordSetting, refused.Message);
    }

    private static X509Certificate2 Load(string file) =>
        X509CertificateLoader.LoadPkcs12FromFile(file, KeyCertificate.Password, X509KeyStorageFlags.EphemeralKeySet);

    private static IDataProtector Protector(StorageSettings storage, X509Certificate2 certificate)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddKeyProjectsDataProtection(storage, certificate);
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("KeyProjects.Tests");
    }
}
