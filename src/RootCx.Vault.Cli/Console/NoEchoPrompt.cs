namespace RootCx.Vault.Cli.Console;

/// <summary>
/// Reads one line typed at the terminal without echoing it, into a buffer the caller clears: for secret values and
/// backup passphrases, which must never appear on screen, in scrollback or in shell history.
/// </summary>
internal static class NoEchoPrompt
{
    /// <summary>Writes <paramref name="prompt"/> on stderr and reads keys until Enter.</summary>
    /// <param name="prompt">What to ask, on stderr so stdout stays clean.</param>
    /// <param name="typed">Receives the characters; the caller clears it.</param>
    /// <param name="tooLong">The message when more is typed than <paramref name="typed"/> holds.</param>
    /// <returns>How many characters of <paramref name="typed"/> were typed.</returns>
    /// <exception cref="UsageException">More characters were typed than <paramref name="typed"/> holds.</exception>
    public static int Read(string prompt, char[] typed, string tooLong)
    {
        System.Console.Error.Write(prompt);
        int count = 0;
        while (true)
        {
            ConsoleKeyInfo key = System.Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                count = Math.Max(0, count - 1);
            }
            else if (key.KeyChar != '\0')
            {
                if (count == typed.Length)
                {
                    throw new UsageException(tooLong);
                }

                typed[count++] = key.KeyChar;
            }
        }

        System.Console.Error.WriteLine();
        return count;
    }
}
