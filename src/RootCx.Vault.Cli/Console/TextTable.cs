namespace RootCx.Vault.Cli.Console;

/// <summary>A plain table on stdout: a header row, then one row each, columns padded to their widest cell.</summary>
internal static class TextTable
{
    public static void Write(string[][] rows)
    {
        int[] widths = [.. Enumerable.Range(0, rows[0].Length).Select(column => rows.Max(row => row[column].Length))];
        foreach (string[] row in rows)
        {
            System.Console.WriteLine(string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        }
    }
}
