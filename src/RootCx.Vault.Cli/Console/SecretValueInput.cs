using System.Security.Cryptography;
using System.Text;

namespace RootCx.Vault.Cli.Console;

/// <summary>
/// Reads a secret value as UTF-8 into one buffer the caller clears: all of stdin when it is piped (one trailing line
/// break removed, as <c>echo</c> adds it), else a prompt on stderr that does not echo. Never from the command line,
/// where shell history and <c>ps</c> would keep it.
/// </summary>
internal static class SecretValueInput
{
    // Room for the largest value, its line break and one byte more, which tells a value that is too large.
    private const int BufferSize = ISecretVault.MaxValueUtf8Bytes + 3;

    /// <summary>Reads the value; returns the buffer and how many of its bytes are the value.</summary>
    /// <exception cref="UsageException">The value is larger than the vault accepts, or stdin was closed before a line.</exception>
    public static byte[] Read(string prompt, out int length)
    {
        byte[] buffer = GC.AllocateUninitializedArray<byte>(BufferSize, pinned: true);
        try
        {
            length = System.Console.IsInputRedirected ? ReadPiped(buffer) : ReadPrompted(prompt, buffer);
            return buffer;
        }
        catch
        {
            CryptographicOperations.ZeroMemory(buffer);
            throw;
        }
    }

    private static int ReadPiped(byte[] buffer)
    {
        using Stream input = System.Console.OpenStandardInput();
        int length = 0;
        int read;
        while (length < buffer.Length && (read = input.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        length = WithoutLineBreak(buffer, length);
        return length <= ISecretVault.MaxValueUtf8Bytes
            ? length
            : throw new UsageException($"The value on stdin is larger than {ISecretVault.MaxValueUtf8Bytes} bytes of UTF-8.");
    }

    private static int ReadPrompted(string prompt, byte[] buffer)
    {
        string tooLarge = $"The value is larger than {ISecretVault.MaxValueUtf8Bytes} bytes of UTF-8.";
        char[] typed = GC.AllocateUninitializedArray<char>(ISecretVault.MaxValueUtf8Bytes + 1, pinned: true);
        try
        {
            int count = NoEchoPrompt.Read(prompt, typed, tooLarge);
            return Encoding.UTF8.GetByteCount(typed, 0, count) <= buffer.Length
                ? Encoding.UTF8.GetBytes(typed, 0, count, buffer, 0)
                : throw new UsageException(tooLarge);
        }
        finally
        {
            Array.Clear(typed);
        }
    }

    private static int WithoutLineBreak(byte[] buffer, int length)
    {
        if (length > 0 && buffer[length - 1] == (byte)'\n')
        {
            length--;
            if (length > 0 && buffer[length - 1] == (byte)'\r')
            {
                length--;
            }
        }

        return length;
    }
}
