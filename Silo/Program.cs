// A standalone silo: hosts grains, fires their reminders, serves health. Grain calls from other processes arrive
// over HTTP in the multi-silo setup.
var builder = WebApplication.CreateBuilder(args);
builder.AddOzonSilo();
builder.AddOzonId();

var app = builder.Build();
app.MapHealthEndpoints();
app.Run();
