using OzonActors.Persistence.Hosting;

// A standalone Orleans silo: hosts grains and their reminders, serves health. It joins the cluster of every process
// with the same Orleans:ClusterId in the PostgreSQL membership table, so ConnectionStrings:Postgres is required.
var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Postgres")))
{
    Console.Error.WriteLine("ConnectionStrings:Postgres is required: a standalone silo finds its cluster in PostgreSQL.");
    return 2;
}

builder.AddOzonSilo();
builder.AddOzonId();

var app = builder.Build();
app.MapHealthEndpoints();
app.MapOperatorEndpoints();
app.Run();
return 0;
