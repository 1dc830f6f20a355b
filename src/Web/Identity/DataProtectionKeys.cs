using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Dapper;
using KeyProjects.Silo.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using static KeyProjects.Silo.ReadModel.Database;

namespace KeyProjects.Web.Identity;

/// <summary>
/// Where data protection keeps its key ring: the city's database (kp_data_protection_keys), so every web host signs and
/// reads the same cookies and tokens, and a backup of the database is a backup of the keys. The framework encrypts each
/// key's XML before it gets here (<see cref="DataProtectionKeys.Certificate"/>); this only stores and reads rows.
/// </summary>
public sealed class DatabaseKeyRepository(StorageSettings storage) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = Open(storage);
        return connection.Query<string>("SELECT xml FROM kp_data_protection_keys ORDER BY stored_at, friendly_name")
            .Select(xml => XElement.Parse(xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = Open(storage);
        // A key is written once under its name; a second write of the same name (two hosts creating the first key at once)
        // keeps the first, and the other host reads it on its next refresh.
        connection.Execute("""
            INSERT INTO kp_data_protection_keys (friendly_name, xml, stored_at) VALUES (@friendlyName, @xml, @at)
            ON CONFLICT (friendly_name) DO NOTHING
            """, new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
    }
}

/// <summary>
/// The key ring's settings: the certificate (a .pfx, <c>KeyProjects:DataProtection:Certificate</c> with
/// <c>…:CertificatePassword</c>) whose public key encrypts every key at rest and whose private key reads them back.
/// Required outside Development (start-up stops naming the setting without it); on a developer's machine the keys are
/// stored unencrypted and the framework logs a warning. Replacing the certificate makes the stored keys unreadable
/// (everyone signs in again).
/// </summary>
public static class DataProtectionKeys
{
    public const string CertificateSetting = "KeyProjects:DataProtection:Certificate";
    public const string PasswordSetting = "KeyProjects:DataProtection:CertificatePassword";

    /// <summary>
    /// The certificate the settings name, or null when none is named and none is <paramref name="required"/> (a developer's
    /// machine); a named one that does not load, or none where one is required, is an error naming the setting.
    /// </summary>
    public static X509Certificate2? Certificate(IConfiguration configuration, bool required)
    {
        var path = configuration[CertificateSetting];
        if (string.IsNullOrWhiteSpace(path))
            return required
                ? throw new InvalidOperationException($"{CertificateSetting} is not set: outside Development the keys that sign sign-in cookies and tokens are encrypted at rest with a certificate (.pfx with its private key; see README, \"Deploying in production\").")
                : null;
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration[PasswordSetting], X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{CertificateSetting} is '{path}', which does not load as a .pfx with {PasswordSetting}: {e.Message}", e);
        }
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"{CertificateSetting} is '{path}', a certificate without its private key: the keys could be written but never read back.");
        return certificate;
    }

    /// <summary>Data protection for this app: the key ring in the database, encrypted with the certificate when there is one.</summary>
    public static IDataProtectionBuilder AddKeyProjectsDataProtection(this IServiceCollection services, StorageSettings storage, X509Certificate2? certificate)
    {
        var builder = services.AddDataProtection().SetApplicationName("KeyProjects");
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = new DatabaseKeyRepository(storage));
        if (certificate is not null) builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        return builder;
    }
}
