using Engine.Cli;

// mlp: train, evaluate and predict with multilayer perceptrons on CSV files.
// Exit codes: 0 success; 2 bad usage or bad input (one line on stderr); 1 anything else.
// A closed standard output, or a reader that stopped reading (| head), must not fail the work: the model is saved anyway.
try
{
    Console.SetOut(new SafeStdout(Console.Out));
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    Console.SetOut(TextWriter.Null);
}
var root = new RootCommand("mlp — train multilayer perceptrons on CSV files with the Engine library.")
{
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    PredictCommand.Create(),
    InspectCommand.Create(),
    InspectDataCommand.Create(),
    ExportCommand.Create(),
    ExperimentCommand.Create(),
};
return CliRunner.Run(root, args);
