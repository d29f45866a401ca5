// The period-luminosity sample from JShell: load, plan, run, then ask what is fresh.
//
//   pl="$(mktemp -d)/pl" && cp -r samples/period-luminosity "$pl"
//   jshell --class-path lightcone-cli/target/lightcone-cli-0.1.0-SNAPSHOT-all.jar \
//       -R-Dlightcone.project="$pl" samples/period-luminosity.jsh
//
// A run writes results/ and .lightcone/ into the project, hence the copy. Without the property
// the script works on samples/period-luminosity relative to the current directory.

import io.lightcone.*;
import io.lightcone.core.*;

// Stays 1 unless every task ends ok: a snippet that throws leaves it so, and /exit still runs.
int exitCode = 1;

Project project = Project.load(Path.of(System.getProperty("lightcone.project", "samples/period-luminosity")));
System.out.println(project);

// What will run and why: one task per (output, universe).
Plan plan = project.plan();
System.out.println(plan);

// Run it on this machine, a plain line per finished task; a failed task is in the report.
ExecutionReport report = plan.execute(LocalSubstrate.create(), io.lightcone.event.ExecutionListener.printing(System.out));
System.out.println(report);

// From the manifests alone: is every output fresh now?
System.out.println(project.status());

// How does the distance vary with the choices? (samples/period-luminosity.ipynb goes further.)
System.out.println(project.universeTable().with("distance_modulus", project.metric("distance", "distance_modulus")));

exitCode = report.succeeded() ? 0 : 1;
/exit exitCode
