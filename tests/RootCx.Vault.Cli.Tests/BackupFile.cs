using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace RootCx.Vault.Cli.Tests;

/// <summary>
/// A backup file taken apart as docs/FORMAT.md ("Backup file, version 1") describes it, written from that page alone:
/// the header and the framed records, for the tests that damage a file by hand, and a decoder that opens every record
/// with the platform's PBKDF2 and AES-GCM, so the page is checked against what the tool writes.
/// </summary>
internal sealed class BackupFile
{
    public const int HeaderSize = 50;

    private BackupFile(byte[] header, List<byte[]> records)
    {
        Header = header;
        Records = records;
    }

    public byte[] Header { get; }

    /// <summary>Gets each record as stored: length, nonce, ciphertext and tag.</summary>
    public List<byte[]> Records { get; }

    public byte Protection => Header[5];

    public int Iterations => (int)BinaryPrimitives.ReadUInt32BigEndian(Header.AsSpan(6));

    public DateTimeOffset ExportedAt => new(BinaryPrimitives.ReadInt64BigEndian(Header.AsSpan(42)), TimeSpan.Zero);

    public static BackupFile Read(string path)
    {
        byte[] data = File.ReadAllBytes(path);
        Assert.That(Encoding.ASCII.GetString(data, 0, 4), Is.EqualTo("RCXB"));
        var records = new List<byte[]>();
        int at = HeaderSize;
        while (at < data.Length)
        {
            int length = 4 + 12 + (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at)) + 16;
            records.Add(data[at..(at + length)]);
            at += length;
        }

        return new BackupFile(data[..HeaderSize], records);
    }

    public void Write(string path) => File.WriteAllBytes(path, [.. Header, .. Records.SelectMany(r => r)]);

    public byte[] KeyFromPassphrase(string passphrase) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), Header.AsSpan(10, 16).ToArray(), Iterations, HashAlgorithmName.SHA256, 32);

    /// <summary>Opens every record; returns the secrets and the end marker's count.</summary>
    public (List<Secret> Secrets, ulong EndCount) Decode(byte[] key)
    {
        using var aes = new AesGcm(key, 16);
        var secrets = new List<Secret>();
        for (int i = 0; i < Records.Count; i++)
        {
            byte[] record = Records[i];
            int n = (int)BinaryPrimitives.ReadUInt32BigEndian(record);
            byte[] aad = [.. Header, .. new byte[8], (byte)(i == Records.Count - 1 ? 1 : 0)];
            BinaryPrimitives.WriteUInt64BigEndian(aad.AsSpan(HeaderSize), (ulong)i);
            byte[] plain = new byte[n];
            aes.Decrypt(record.AsSpan(4, 12), record.AsSpan(16, n), record.AsSpan(16 + n, 16), plain, aad);
            if (plain[0] == 2)
            {
                Assert.That(i, Is.EqualTo(Records.Count - 1), "the end marker is the last record");
                return (secrets, BinaryPrimitives.ReadUInt64BigEndian(plain.AsSpan(1)));
            }

            int p = 1;
            string ns = Encoding.ASCII.GetString(plain, p + 1, plain[p]);
            p += 1 + plain[p];
            string name = Encoding.ASCII.GetString(plain, p + 1, plain[p]);
            p += 1 + plain[p];
            long created = BinaryPrimitives.ReadInt64BigEndian(plain.AsSpan(p));
            long updated = BinaryPrimitives.ReadInt64BigEndian(plain.AsSpan(p + 8));
            long version = BinaryPrimitives.ReadInt64BigEndian(plain.AsSpan(p + 16));
            int v = (int)BinaryPrimitives.ReadUInt32BigEndian(plain.AsSpan(p + 24));
            p += 28;
            Assert.That(plain, Has.Length.EqualTo(p + v), "a secret record holds nothing after its value");
            secrets.Add(new Secret(ns, name, new DateTimeOffset(created, TimeSpan.Zero), new DateTimeOffset(updated, TimeSpan.Zero), version, Encoding.UTF8.GetString(plain, p, v)));
        }

        Assert.Fail("no end marker");
        return default;
    }

    internal sealed record Secret(string Namespace, string Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Version, string Value)
    {
        // Assertion messages name the secret, never its value.
        public override string ToString() => $"{Namespace}/{Name}";
    }
}
