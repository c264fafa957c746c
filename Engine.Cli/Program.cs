Console.WriteLine("mlp: not yet");
