using Engine.Cli;

// mlp: train, evaluate and predict with multilayer perceptrons on CSV files.
// Exit codes: 0 success; 2 bad usage or bad input (one line on stderr); 1 anything else.
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
