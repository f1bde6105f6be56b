using Tessel.Worker;

// The measuring worker: typed, length-prefixed messages on stdin/stdout (see Tessel.Measure.Protocol),
// diagnostics on stderr. Kernels that write to Console.Out go to stderr, so they cannot break the protocol.
var input = Console.OpenStandardInput();
var output = Console.OpenStandardOutput();
Console.SetOut(Console.Error);
return new WorkerHost(input, output).Run();
