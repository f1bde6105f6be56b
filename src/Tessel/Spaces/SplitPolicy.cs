namespace Tessel.Spaces;

/// <summary>Which tile sizes a split knob offers.</summary>
public enum SplitPolicy
{
    /// <summary>Only divisors of the extent (AutoTVM's default).</summary>
    Factors,
    /// <summary>Powers of two up to the extent.</summary>
    Power2,
    /// <summary>Every size from 1 to the extent, non-divisors included; tails are handled by the kernel.</summary>
    All,
}
