namespace Engine.Initializers;
public static class Initializer
{
    public static IInitializer DefaultFor(Activation a) => new StubHe();
    private sealed class StubHe : IInitializer
    {
        public void Initialize(Span<double> w, InitContext c) { double s = Math.Sqrt(2.0 / c.FanIn); for (int i = 0; i < w.Length; i++) w[i] = c.Rng.NextNormal(0, s); }
    }
}
