using Microsoft.Extensions.DependencyInjection;
using RootCx.Vault.Testing;

namespace RootCx.Vault.FileSystem.Tests;

public sealed class FileSystemAuditLogConformanceTests : SecretAuditLogConformanceTests
{
    private TemporaryStoreFolder _folder = null!;

    private string LogFile => Path.Combine(_folder.Path, "audit", "events.log");

    protected override ValueTask<ISecretAuditLog> CreateLogAsync()
    {
        _folder = new TemporaryStoreFolder();
        return ValueTask.FromResult<ISecretAuditLog>(new FileSystemAuditLog(_folder.Path));
    }

    protected override ValueTask<ISecretAuditLog> OpenSecondInstanceAsync() =>
        ValueTask.FromResult<ISecretAuditLog>(new FileSystemAuditLog(_folder.Path));

    protected override async ValueTask EditActorAsync(long sequence, string actor)
    {
        string[] lines = await File.ReadAllLinesAsync(LogFile);
        int index = Array.FindIndex(lines, l => l.StartsWith($"{{\"seq\":{sequence},", StringComparison.Ordinal));
        lines[index] = lines[index].Replace("\"actor\":\"admin:alice\"", $"\"actor\":\"{actor}\"", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(LogFile, lines);
    }

    protected override async ValueTask RemoveEventAsync(long sequence)
    {
        string[] lines = await File.ReadAllLinesAsync(LogFile);
        await File.WriteAllLinesAsync(LogFile, lines.Where(l => !l.StartsWith($"{{\"seq\":{sequence},", StringComparison.Ordinal)));
    }

    protected override async ValueTask<string> ReadRawAsync() =>
        string.Join('\n', await Task.WhenAll(_folder.AllFiles.Select(path => File.ReadAllTextAsync(path))));

    protected override void PersistTo(IRootCxVaultBuilder builder) => builder.PersistToFileSystem(_folder.Path);

    protected override ValueTask DeleteLogAsync()
    {
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
