namespace RootCx.Vault.FileSystem.Tests;

/// <summary>The ways a store file gets damaged (a torn write, a bad sector, a hand edit), as test cases.</summary>
internal static class FileDamage
{
    public static IEnumerable<TestCaseData> Kinds()
    {
        yield return new TestCaseData(new Func<byte[], byte[]>(content => content[..(content.Length / 2)])).SetName("truncated");
        yield return new TestCaseData(new Func<byte[], byte[]>(content => [.. content[..^1], (byte)(content[^1] ^ 1)])).SetName("last byte flipped");
        yield return new TestCaseData(new Func<byte[], byte[]>(content => [.. content, 0])).SetName("extended");
        yield return new TestCaseData(new Func<byte[], byte[]>(_ => "garbage, not a secret file"u8.ToArray())).SetName("garbage");
        yield return new TestCaseData(new Func<byte[], byte[]>(_ => [])).SetName("empty");
    }
}
