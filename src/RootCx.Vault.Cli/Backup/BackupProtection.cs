using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using RootCx.Vault.Cli.Console;

namespace RootCx.Vault.Cli.Backup;

/// <summary>
/// Where the key of a backup comes from, for export and import alike: <c>--backup-key-file</c> (a 32-byte key as 64
/// hex characters, no derivation), else a passphrase from <c>--passphrase-file</c>, else from
/// <c>ROOTCX_BACKUP_PASSPHRASE</c>, else typed at a prompt that does not echo (twice on export) when stdin is a
/// terminal. Never from the command line, where shell history and <c>ps</c> would keep it.
/// </summary>
internal sealed class BackupProtection
{
    public const string PassphraseEnvironmentVariable = "ROOTCX_BACKUP_PASSPHRASE";

    /// <summary>Shorter passphrases are refused on export; 12 characters is OWASP's floor for a memorable secret.</summary>
    public const int MinPassphraseCharacters = 12;

    private const int MaxPassphraseCharacters = 1024;

    public static readonly string HelpText =
        $"The backup is protected by a 32-byte key from --backup-key-file (64 hex characters, as keygen prints), or by a passphrase "
        + $"(at least {MinPassphraseCharacters} characters) from --passphrase-file (one trailing line break removed), else from "
        + $"{PassphraseEnvironmentVariable}, else typed at a prompt that does not echo when stdin is a terminal. A passphrase is "
        + $"stretched with PBKDF2-HMAC-SHA256, {BackupFormat.DefaultIterations:N0} iterations and a random salt. Never from the command line.";

    private readonly Option<string> _keyFile = new("--backup-key-file") { Description = "A file holding the backup's 32-byte key as 64 hex characters (rootcx-vault keygen prints one)." };
    private readonly Option<string> _passphraseFile = new("--passphrase-file") { Description = $"A file holding the backup's passphrase (default: {PassphraseEnvironmentVariable}, else a prompt)." };

    public BackupProtection(Command command)
    {
        command.Options.Add(_keyFile);
        command.Options.Add(_passphraseFile);
    }

    /// <summary>Chooses the protection of a new backup and makes its header and key.</summary>
    /// <exception cref="UsageException">Both options given, no passphrase to be had, a short passphrase, or two prompts that differ.</exception>
    public (BackupHeader Header, BackupKey Key) CreateForExport(ParseResult parse, DateTimeOffset exportedAt)
    {
        if (ReadKeyFileOption(parse) is string keyFile)
        {
            return (BackupHeader.Create(BackupProtectionKind.Key, exportedAt), BackupKey.FromKeyFile(keyFile));
        }

        byte[] passphrase = ReadPassphrase(parse, confirm: true, out int length);
        try
        {
            if (Encoding.UTF8.GetCharCount(passphrase, 0, length) < MinPassphraseCharacters)
            {
                throw new UsageException($"The passphrase must be at least {MinPassphraseCharacters} characters long.");
            }

            BackupHeader header = BackupHeader.Create(BackupProtectionKind.Passphrase, exportedAt);
            return (header, BackupKey.FromPassphrase(passphrase.AsSpan(0, length), header));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passphrase);
        }
    }

    /// <summary>Makes the key for a backup read back, as its header says it was protected.</summary>
    /// <exception cref="UsageException">A key file for a passphrase backup or the other way round, or no passphrase to be had.</exception>
    public BackupKey OpenForImport(ParseResult parse, BackupHeader header)
    {
        string? keyFile = ReadKeyFileOption(parse);
        if (header.Protection == BackupProtectionKind.Key)
        {
            return keyFile is not null
                ? BackupKey.FromKeyFile(keyFile)
                : throw new UsageException("The backup is protected by a backup key: give it with --backup-key-file PATH.");
        }

        if (keyFile is not null)
        {
            throw new UsageException($"The backup is protected by a passphrase, not a key: give it with --passphrase-file PATH or {PassphraseEnvironmentVariable}.");
        }

        byte[] passphrase = ReadPassphrase(parse, confirm: false, out int length);
        try
        {
            return BackupKey.FromPassphrase(passphrase.AsSpan(0, length), header);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passphrase);
        }
    }

    private string? ReadKeyFileOption(ParseResult parse)
    {
        string? keyFile = parse.GetValue(_keyFile);
        if (keyFile is not null && parse.GetValue(_passphraseFile) is not null)
        {
            throw new UsageException("Give either --backup-key-file or --passphrase-file, not both.");
        }

        return keyFile;
    }

    // The passphrase as UTF-8 in a pinned buffer the caller clears.
    private byte[] ReadPassphrase(ParseResult parse, bool confirm, out int length)
    {
        if (parse.GetValue(_passphraseFile) is string path)
        {
            return ReadPassphraseFile(path, out length);
        }

        if (Environment.GetEnvironmentVariable(PassphraseEnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            byte[] utf8 = GC.AllocateArray<byte>(Encoding.UTF8.GetByteCount(fromEnvironment), pinned: true);
            length = Encoding.UTF8.GetBytes(fromEnvironment, utf8);
            return utf8;
        }

        if (System.Console.IsInputRedirected)
        {
            throw new UsageException(
                $"No passphrase: give --passphrase-file PATH, set {PassphraseEnvironmentVariable}, use --backup-key-file PATH, or run at a terminal to be asked.");
        }

        return Prompt(confirm, out length);
    }

    private static byte[] ReadPassphraseFile(string path, out int length)
    {
        byte[] content;
        try
        {
            if (new FileInfo(path) is { Exists: true, Length: > MaxPassphraseCharacters * 4 })
            {
                throw new UsageException($"The passphrase file '{Path.GetFullPath(path)}' is larger than a passphrase can be.");
            }

            content = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OperatorException($"Could not read the passphrase file '{Path.GetFullPath(path)}': {ex.Message}");
        }

        byte[] utf8 = GC.AllocateArray<byte>(content.Length, pinned: true);
        content.CopyTo(utf8, 0);
        CryptographicOperations.ZeroMemory(content);
        length = utf8.Length;
        if (length > 0 && utf8[length - 1] == (byte)'\n')
        {
            length--;
            if (length > 0 && utf8[length - 1] == (byte)'\r')
            {
                length--;
            }
        }

        if (length == 0)
        {
            CryptographicOperations.ZeroMemory(utf8);
            throw new UsageException($"The passphrase file '{Path.GetFullPath(path)}' is empty.");
        }

        return utf8;
    }

    private static byte[] Prompt(bool confirm, out int length)
    {
        const string tooLong = "The passphrase is too long.";
        char[] first = GC.AllocateArray<char>(MaxPassphraseCharacters, pinned: true);
        char[] second = GC.AllocateArray<char>(MaxPassphraseCharacters, pinned: true);
        try
        {
            int count = NoEchoPrompt.Read("Backup passphrase (not echoed): ", first, tooLong);
            if (confirm)
            {
                int again = NoEchoPrompt.Read("Type it again: ", second, tooLong);
                if (!first.AsSpan(0, count).SequenceEqual(second.AsSpan(0, again)))
                {
                    throw new UsageException("The two passphrases differ; nothing was written.");
                }
            }

            if (count == 0)
            {
                throw new UsageException("The passphrase is empty.");
            }

            byte[] utf8 = GC.AllocateArray<byte>(Encoding.UTF8.GetByteCount(first, 0, count), pinned: true);
            length = Encoding.UTF8.GetBytes(first, 0, count, utf8, 0);
            return utf8;
        }
        finally
        {
            Array.Clear(first);
            Array.Clear(second);
        }
    }
}
