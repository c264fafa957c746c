// Every test reaches into the library's folders; one list here instead of a header in each file.
global using System.Globalization;
global using System.Numerics.Tensors;
global using System.Text;
global using Engine.Data;
global using Engine.Diagnostics;
global using Engine.Initializers;
global using Engine.Kernels;
global using Engine.Layers;
global using Engine.Losses;
global using Engine.Optimizers;
global using Engine.Serialization;
global using Engine.Tabular;
global using Engine.Tests.Data;
global using Engine.Training;
