using Tessel.Cluster;

namespace Tessel.IntegrationTests.Cluster;

/// <summary>Measurement on an Orleans cluster on loopback (localhost clustering), workers in this process; the cluster has
/// a name of its own, so workers left running by other runs cannot take its items.</summary>
[Collection(SerialCollection.Name)]
public sealed class ClusterTests
{
    [Fact]
    public Task Two_workers_share_a_batch_and_every_result_comes_back_in_order() =>
        TwoWorkerBatch.ShareAsync(ClusterAddress.Parse($"localhost/two-workers-{Guid.NewGuid():N}"), firstIndex: 0);
}
