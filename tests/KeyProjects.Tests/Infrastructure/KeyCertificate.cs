using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KeyProjects.Tests.Infrastructure;

/// <summary>
/// A certificate for data protection's key ring as a city's IT team makes one (a self-signed RSA .pfx with a password,
/// see deploy/make-key-certificate.sh), written once per test run; hosts started in Production are given it.
/// </summary>
public static class KeyCertificate
{
    public const string Password = "kp-test-key-cert";

    private static readonly Lazy<string> File = new(() => Write("CN=KeyProjects data protection (test)"));

    /// <summary>The settings a web host in Production needs for its key ring.</summary>
    public static Dictionary<string, string> Settings() => new()
    {
        ["KeyProjects__DataProtection__Certificate"] = File.Value,
        ["KeyProjects__DataProtection__CertificatePassword"] = Password,
    };

    /// <summary>A new certificate's .pfx (another certificate: one that cannot read what the first encrypted).</summary>
    public static string Write(string subject)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        var path = Path.Combine(Path.GetTempPath(), $"kp-key-cert-{Guid.NewGuid():N}.pfx");
        System.IO.File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return path;
    }
}
