// chart_render renders the hotline Helm chart the way `helm template` would,
// for checks on machines without helm: every templates/*.yaml of CHART_DIR,
// with the chart's values.yaml merged with each -f file (later files win) and
// each --set-file KEY=FILE (the file's text at the dotted KEY).
//
//	chart_render [-f values.yaml]... [--set-file key=file]... [--name NAME] [--namespace NS] CHART_DIR
//
// Prints the rendered documents to stdout, each after a `# Source:` line as
// helm does; exits 1 naming the template when one fails (a `required` value
// missing, an unknown function, bad YAML in a values file).
//
// Only the part of Helm the chart uses is here: sprig's functions plus
// include, toYaml, required, tpl and lookup (which finds nothing, as with
// `helm template`), and .Values, .Release, .Chart,
// .Capabilities and .Template.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	var valueFiles, setFiles listFlag
	name := flag.String("name", "hotline", "release name")
	namespace := flag.String("namespace", "default", "release namespace")
	flag.Var(&valueFiles, "f", "values file merged over the chart's values.yaml (repeatable)")
	flag.Var(&setFiles, "set-file", "KEY=FILE: the text of FILE at the dotted KEY (repeatable)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: chart_render [-f values.yaml]... [--set-file key=file]... [--name NAME] [--namespace NS] CHART_DIR")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	chart, err := loadChart(flag.Arg(0))
	if err != nil {
		fail(err)
	}
	values, err := loadValues(chart.dir, valueFiles, setFiles)
	if err != nil {
		fail(err)
	}
	release := map[string]interface{}{
		"Name": *name, "Namespace": *namespace, "Service": "Helm",
		"IsInstall": true, "IsUpgrade": false, "Revision": 1,
	}
	out, err := render(chart, values, release)
	if err != nil {
		fail(err)
	}
	os.Stdout.WriteString(out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "chart_render:", err)
	os.Exit(1)
}
