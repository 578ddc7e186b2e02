using System.Globalization;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace RootCx.Vault.SampleHost.Api;

/// <summary>
/// HTTP conditional requests over the vault's versions: a secret's ETag is its version (<c>"3"</c>); <c>If-Match</c>
/// on a set, delete or restore makes it a check-and-set, <c>If-None-Match: *</c> on a set makes it create-only. Anything else
/// in those headers is refused with 400, so a client never believes it is protected when it is not.
/// </summary>
public static class PreconditionHeaders
{
    /// <summary>Reads the precondition of a set.</summary>
    /// <exception cref="BadPreconditionException">A header is present but not one the API understands.</exception>
    public static SecretPrecondition ForSet(HttpRequest request) =>
        Read(request, allowIfNoneMatch: true, "set");

    /// <summary>Reads the precondition of a delete.</summary>
    /// <exception cref="BadPreconditionException">A header is present but not one the API understands.</exception>
    public static SecretPrecondition ForDelete(HttpRequest request) =>
        Read(request, allowIfNoneMatch: false, "delete");

    /// <summary>Reads the precondition of a restore: the version the restore was chosen from, as for a delete.</summary>
    /// <exception cref="BadPreconditionException">A header is present but not one the API understands.</exception>
    public static SecretPrecondition ForRestore(HttpRequest request) =>
        Read(request, allowIfNoneMatch: false, "restore");

    /// <summary>Tells the client the secret's version as its ETag.</summary>
    public static void SetETag(HttpResponse response, long version) =>
        response.Headers.ETag = ETagOf(version);

    /// <summary>The ETag of a version: the strong tag <c>"N"</c>.</summary>
    public static string ETagOf(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    private static SecretPrecondition Read(HttpRequest request, bool allowIfNoneMatch, string operation)
    {
        StringValues ifMatch = request.Headers.IfMatch;
        StringValues ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifMatch.Count > 0 && ifNoneMatch.Count > 0)
        {
            throw new BadPreconditionException("Send either If-Match or If-None-Match, not both.");
        }

        if (ifNoneMatch.Count > 0)
        {
            return allowIfNoneMatch && ifNoneMatch.Count == 1 && ifNoneMatch[0]?.Trim() == "*"
                ? SecretPrecondition.IfAbsent
                : throw new BadPreconditionException(allowIfNoneMatch
                    ? "If-None-Match takes only *, to create a secret that must not exist yet."
                    : $"A {operation} takes If-Match only.");
        }

        if (ifMatch.Count == 0)
        {
            return SecretPrecondition.None;
        }

        // One strong ETag that this API gave out: a weak or foreign tag could never match, and * would not protect.
        if (EntityTagHeaderValue.TryParseStrictList(ifMatch, out IList<EntityTagHeaderValue>? tags) && tags is [{ IsWeak: false } tag]
            && long.TryParse(tag.Tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out long version) && version >= 1)
        {
            return SecretPrecondition.IfVersion(version);
        }

        throw new BadPreconditionException("If-Match takes one ETag as a response gave it, such as \"3\": the version the change was made from.");
    }
}

/// <summary>An <c>If-Match</c> or <c>If-None-Match</c> header the API does not understand.</summary>
public sealed class BadPreconditionException(string message) : Exception(message);
