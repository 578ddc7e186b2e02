using System.Security.Cryptography;
using System.Text;
using RootCx.Vault.Cryptography;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests.Cryptography;

/// <summary>Envelopes sealed by released formats keep decrypting, by the library and by docs/FORMAT.md alone.</summary>
public class GoldenEnvelopeTests
{
    private static readonly Dictionary<string, string> Expected = new()
    {
        ["GOLDEN_SECRET"] = "golden plaintext ✓ v1",
        ["Shared_Token"] = "platform golden value",
        ["EMPTY"] = string.Empty,
    };

    private static IEnumerable<TestCaseData> Version1() =>
        File.ReadAllLines(Path.Combine(TestContext.CurrentContext.TestDirectory, "Golden", "envelopes-v1.txt"))
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split(' '))
            .Select(f => new TestCaseData(f[0], f[1], Convert.FromHexString(f[2])).SetArgDisplayNames(f[0], f[1]));

    [TestCaseSource(nameof(Version1))]
    public void The_library_opens_version_1_envelopes(string @namespace, string name, byte[] envelope)
    {
        using var ring = new MasterKeyRing(MasterKey.FromHex(TestKeys.Primary, "test"));
        byte[] plaintext = SecretEnvelope.Open(ring, SecretScope.FromNamespace(@namespace), SecretName.Parse(name), envelope);
        Assert.That(Encoding.UTF8.GetString(plaintext), Is.EqualTo(Expected[name]));
    }

    /// <summary>An independent decoder written from docs/FORMAT.md with nothing but AesGcm and HMAC.</summary>
    [TestCaseSource(nameof(Version1))]
    public void Docs_format_md_is_enough_to_open_version_1_envelopes(string @namespace, string name, byte[] envelope)
    {
        byte[] key = Convert.FromHexString(TestKeys.Primary);
        byte[] keyId = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes("RootCx.Vault/key-id/v1"))[..4];
        byte[] associatedData =
        [
            .. envelope[..5],
            (byte)@namespace.Length, .. Encoding.ASCII.GetBytes(@namespace),
            (byte)name.Length, .. Encoding.ASCII.GetBytes(name.ToUpperInvariant()),
        ];
        byte[] plaintext = new byte[envelope.Length - 33];

        using (var aes = new AesGcm(key, 16))
        {
            aes.Decrypt(envelope[5..17], envelope[17..^16], envelope[^16..], plaintext, associatedData);
        }

        Assert.Multiple(() =>
        {
            Assert.That(envelope[0], Is.EqualTo(1));
            Assert.That(envelope[1..5], Is.EqualTo(keyId));
            Assert.That(Encoding.UTF8.GetString(plaintext), Is.EqualTo(Expected[name]));
        });
    }
}
