using Microsoft.Extensions.Diagnostics.HealthChecks;
using RootCx.Vault.Cryptography;
using RootCx.Vault.KeyLoading;

namespace RootCx.Vault.Diagnostics;

/// <summary>
/// Whether the vault can serve: the store answers, and this host's key ring matches the store's key record. Its
/// descriptions name the problem (an unreachable store, an unknown key id) and key ids, which are public; never a
/// secret's name or value.
/// </summary>
internal sealed class VaultHealthCheck(KeyRingLoader keyRing, InstrumentedSecretStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        HealthStatus failure = context.Registration.FailureStatus;
        MasterKeyRing ring;
        IReadOnlySet<MasterKeyId> recorded;
        try
        {
            ring = await keyRing.GetAsync(cancellationToken).ConfigureAwait(false);

            // The ring is checked once; the store is asked on every check, so an outage since start-up shows.
            recorded = await store.GetKeyIdsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MasterKeyException ex)
        {
            return new HealthCheckResult(failure, $"The master key check failed: {ex.Message}");
        }
        catch (SecretStoreException ex)
        {
            return new HealthCheckResult(failure, "The secret store could not be reached.", ex);
        }

        var data = new Dictionary<string, object>
        {
            ["activeKeyId"] = ring.Active.Id.ToString(),
            ["recordedKeyIds"] = string.Join(",", recorded.OrderBy(id => id.Value).Select(id => id.ToString())),
        };

        // Another host brought in a key this one does not hold: what it seals cannot be opened here.
        MasterKeyId[] unknown = [.. recorded.Where(id => !ring.KeyIds.Contains(id)).OrderBy(id => id.Value)];
        if (unknown.Length > 0)
        {
            return new HealthCheckResult(failure, $"The store records master key(s) {Join(unknown)}, which this host does not hold (unknown key id): secrets sealed under them cannot be opened here.", data: data);
        }

        if (!recorded.Contains(ring.Active.Id))
        {
            return new HealthCheckResult(failure, $"The active master key {ring.Active.Id} is no longer in the store's key record (a rotation retired it): writes are refused until this host runs with the store's current key.", data: data);
        }

        MasterKeyId[] retired = [.. ring.KeyIds.Where(id => id != ring.Active.Id && !recorded.Contains(id)).OrderBy(id => id.Value)];
        return retired.Length > 0
            ? HealthCheckResult.Degraded($"Previous master key(s) {Join(retired)} are still configured, but the store no longer records them: the rotation has finished, so remove them from PreviousMasterKeys.", data: data)
            : HealthCheckResult.Healthy("The store answers and the master key matches its key record.", data);
    }

    private static string Join(IEnumerable<MasterKeyId> ids) => string.Join(", ", ids);
}
