using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace RootCx.Vault.FileSystem;

/// <summary>
/// A change version in a file of its own: the store's in <c>changes</c>, each scope's in <c>scopes/&lt;ns&gt;/changes</c>.
/// 16 bytes, the version and its bitwise complement (little-endian), so a torn read is detected and retried. Polling
/// reads 16 bytes and nothing else.
/// </summary>
/// <remarks>
/// Writers, holding the store lock, set the store's version to <c>max(current + 1, now in UTC ticks)</c> in place,
/// without a flush, and a scope's version to the store version of its latest write. A process crash cannot lose the
/// update; a power loss can, and then the version read after restart differs from the lost one (pollers see a change),
/// and the next write moves past it because the clock has. So a poller comparing for inequality never misses a change,
/// and a durable set costs one durable file replacement, not two.
/// </remarks>
internal sealed class ChangeCounter : IDisposable
{
    private const int Size = 16;
    private readonly FileStream _stream;
    private readonly SafeFileHandle _file;
    private readonly TimeProvider _time;

    public ChangeCounter(string path, TimeProvider time)
    {
        // Positioned reads and writes go through the handle; the stream only owns it.
        _stream = Open(path);
        _file = _stream.SafeFileHandle;
        _time = time;
    }

    public long Read() => Read(_file);

    /// <summary>The version the next write takes. Call only while holding the store lock.</summary>
    public long Next() => Math.Max(Read() + 1, _time.GetUtcNow().UtcTicks);

    /// <summary>Sets the version. Call only while holding the store lock.</summary>
    public void Write(long version) => Write(_file, version);

    /// <summary>Reads the version in the file at <paramref name="path"/>; 0 when there is none.</summary>
    public static long ReadFile(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return Read(stream.SafeFileHandle);
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
        catch (DirectoryNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>Sets the version in the file at <paramref name="path"/>. Call only while holding the store lock.</summary>
    public static void WriteFile(string path, long version)
    {
        using FileStream stream = Open(path);
        Write(stream.SafeFileHandle, version);
    }

    public void Dispose() => _stream.Dispose();

    private static FileStream Open(string path) =>
        new(path, DurableFile.OwnerOnly(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete));

    private static long Read(SafeFileHandle file)
    {
        Span<byte> buffer = stackalloc byte[Size];
        for (int attempt = 0; ; attempt++)
        {
            int read = RandomAccess.Read(file, buffer, 0);
            if (read == 0)
            {
                return 0;
            }

            long value = BinaryPrimitives.ReadInt64LittleEndian(buffer);
            if (read == Size && ~value == BinaryPrimitives.ReadInt64LittleEndian(buffer[8..]))
            {
                return value;
            }

            if (attempt == 100)
            {
                throw new IOException("A change version file is damaged.");
            }

            Thread.Yield();
        }
    }

    private static void Write(SafeFileHandle file, long version)
    {
        Span<byte> buffer = stackalloc byte[Size];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, version);
        BinaryPrimitives.WriteInt64LittleEndian(buffer[8..], ~version);
        RandomAccess.Write(file, buffer, 0);
    }
}
