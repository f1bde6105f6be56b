using Tessel.Workloads;

namespace Tessel.Templates.Dense;

/// <summary>A dense workload read from its args: output[n, m] = sum_k data[n, k] * weight[m, k].</summary>
public sealed record DenseParams(int N, int K, int M)
{
    public static DenseParams From(Workload workload)
    {
        var data = workload.TensorShape(0);
        var weight = workload.TensorShape(1);
        return new DenseParams(data[0], data[1], weight[0]);
    }

    public long Flops => 2L * N * M * K;

    public override string ToString() => $"dense N={N} K={K} M={M}";
}
