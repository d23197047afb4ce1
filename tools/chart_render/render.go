package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"gopkg.in/yaml.v3"
)

type chartInfo struct {
	dir  string
	meta map[string]interface{} // .Chart: Name, Version, AppVersion, ...
}

func loadChart(dir string) (chartInfo, error) {
	raw, err := readYAMLMap(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return chartInfo{}, err
	}
	meta := map[string]interface{}{}
	for k, v := range raw {
		// Chart.yaml's apiVersion, name, appVersion become .Chart.APIVersion, .Chart.Name, .Chart.AppVersion.
		if k == "apiVersion" {
			meta["APIVersion"] = v
		} else {
			meta[strings.ToUpper(k[:1])+k[1:]] = v
		}
	}
	return chartInfo{dir: dir, meta: meta}, nil
}

// render executes every template file of the chart (helpers in _*.tpl are
// parsed, not printed) and joins the non-empty results.
func render(chart chartInfo, values map[string]interface{}, release map[string]interface{}) (string, error) {
	paths, err := filepath.Glob(filepath.Join(chart.dir, "templates", "*"))
	if err != nil {
		return "", err
	}
	sort.Strings(paths)
	name := fmt.Sprint(chart.meta["Name"])
	root := template.New(name)
	root.Option("missingkey=zero")
	root.Funcs(funcMap(root))
	var outputs []string
	for _, p := range paths {
		base := filepath.Base(p)
		if !strings.HasSuffix(base, ".yaml") && !strings.HasSuffix(base, ".tpl") {
			continue
		}
		text, err := os.ReadFile(p)
		if err != nil {
			return "", err
		}
		tname := name + "/templates/" + base
		if _, err := root.New(tname).Parse(string(text)); err != nil {
			return "", err
		}
		if !strings.HasPrefix(base, "_") {
			outputs = append(outputs, tname)
		}
	}
	var out strings.Builder
	for _, tname := range outputs {
		data := map[string]interface{}{
			"Values":  values,
			"Release": release,
			"Chart":   chart.meta,
			"Capabilities": map[string]interface{}{
				"KubeVersion": map[string]interface{}{"Version": "v1.27.0", "Major": "1", "Minor": "27"},
			},
			"Template": map[string]interface{}{"Name": tname, "BasePath": name + "/templates"},
		}
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, tname, data); err != nil {
			return "", err
		}
		text := strings.ReplaceAll(buf.String(), "<no value>", "")
		if strings.TrimSpace(text) == "" {
			continue
		}
		fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", tname, strings.TrimRight(text, "\n"))
	}
	return out.String(), nil
}

// funcMap is sprig's template functions with the few that helm adds.
func funcMap(root *template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	// helm leaves these out: a chart must not read the renderer's environment.
	delete(f, "env")
	delete(f, "expandenv")
	f["include"] = func(name string, data interface{}) (string, error) {
		var buf bytes.Buffer
		err := root.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	f["tpl"] = func(text string, data interface{}) (string, error) {
		t, err := root.Clone()
		if err != nil {
			return "", err
		}
		t, err = t.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		err = t.Execute(&buf, data)
		return strings.ReplaceAll(buf.String(), "<no value>", ""), err
	}
	// `helm template` has no cluster to ask: lookup finds nothing.
	f["lookup"] = func(apiVersion, kind, namespace, name string) map[string]interface{} {
		return map[string]interface{}{}
	}
	f["toYaml"] = toYAML
	f["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil {
			return nil, fmt.Errorf("%s", msg)
		}
		if s, ok := v.(string); ok && s == "" {
			return nil, fmt.Errorf("%s", msg)
		}
		return v, nil
	}
	return f
}

// toYAML is helm's toYaml: two-space indent, no trailing newline, "" on error.
func toYAML(v interface{}) string {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	enc.Close()
	return strings.TrimSuffix(buf.String(), "\n")
}
