using System.Globalization;

namespace RootCx.Vault.SampleHost.Api;

/// <summary>
/// The <c>{version}</c> segment of a route, taken as text and parsed here rather than by a route constraint: a malformed
/// version is the client's mistake (400 naming the rule), not a route that does not exist (404).
/// </summary>
public static class VersionSegment
{
    /// <summary>Reads a version: a positive whole number, digits only, as the versions listing gives it.</summary>
    /// <exception cref="BadVersionException">The segment is not such a number.</exception>
    public static long Parse(string segment) =>
        long.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out long version) && version >= 1
            ? version
            : throw new BadVersionException("The version must be a positive whole number (1, 2, 3, ...), as the versions listing gives it.");
}

/// <summary>A <c>{version}</c> segment that is not a positive whole number.</summary>
public sealed class BadVersionException(string message) : Exception(message);
