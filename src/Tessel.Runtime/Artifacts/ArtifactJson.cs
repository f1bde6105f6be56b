using System.Text.Json.Serialization;
using Tessel.Runtime.Plans;

namespace Tessel.Runtime.Artifacts;

/// <summary>How an artifact's JSON is written and read: snake_case like the tuning logs, indented for people, infinities
/// kept (a ReLU is a clamp to +inf); a field missing, or null where it may not be, is an error, not a default. Generated at build time, so loading reflects over nothing (fast to
/// start, and NativeAOT-safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    UseStringEnumConverter = true,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ArtifactManifest))]
[JsonSerializable(typeof(PlanSpec))]
internal sealed partial class ArtifactJson : JsonSerializerContext;
