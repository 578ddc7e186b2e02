using System.Security.Cryptography;
using System.Text;

namespace RootCx.Vault.SampleHost.Security;

/// <summary>
/// The credential every API route requires: from configuration (<c>Admin:ApiKey</c>), else from
/// <c>&lt;data&gt;/admin.key</c>, generated owner-only on first boot. Only its SHA-256 digest is kept, and candidates
/// are compared in constant time.
/// </summary>
public sealed class AdminApiKey
{
    private readonly byte[] _digest;

    private AdminApiKey(string key, string source)
    {
        _digest = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        Source = source;
    }

    /// <summary>Gets where the key came from, for the start-up message (never the key).</summary>
    public string Source { get; }

    public static AdminApiKey Load(string? configured, string dataPath)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new AdminApiKey(configured.Trim(), "configuration (Admin:ApiKey)");
        }

        string path = Path.Combine(dataPath, "admin.key");
        if (!File.Exists(path))
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var writer = new StreamWriter(path, Encoding.ASCII, options);
                writer.Write(Base64Url(RandomNumberGenerator.GetBytes(32)));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another instance created it first: use theirs.
            }
        }

        return new AdminApiKey(ReadOnceWritten(path), path);
    }

    public bool Matches(string candidate)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(candidate), digest);
        return CryptographicOperations.FixedTimeEquals(digest, _digest);
    }

    public override string ToString() => $"AdminApiKey({Source})";

    /// <summary>
    /// Reads the key file. Another instance starting at the same moment may have created it and not yet written the
    /// key (one write of the whole key follows the create), so an empty file is read again for a while before it is
    /// refused: read at once, it would leave this instance refusing every request.
    /// </summary>
    private static string ReadOnceWritten(string path)
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            string key = File.ReadAllText(path).Trim();
            if (key.Length > 0)
            {
                return key;
            }

            Thread.Sleep(TimeSpan.FromMilliseconds(40));
        }

        throw new InvalidOperationException(
            $"The admin API key file '{path}' is empty. Delete it to have a new key generated, or set Admin:ApiKey.");
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
