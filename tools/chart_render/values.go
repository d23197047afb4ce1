package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// loadValues reads CHART_DIR/values.yaml, merges each extra file over it
// (maps merge key by key, anything else is replaced, as helm does) and then
// puts each --set-file's text at its dotted key.
func loadValues(chartDir string, files, setFiles []string) (map[string]interface{}, error) {
	values, err := readYAMLMap(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		extra, err := readYAMLMap(f)
		if err != nil {
			return nil, err
		}
		values = mergeValues(values, extra)
	}
	for _, s := range setFiles {
		key, file, ok := strings.Cut(s, "=")
		if !ok || key == "" || file == "" {
			return nil, fmt.Errorf("--set-file %q: want KEY=FILE", s)
		}
		text, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("--set-file %s: %v", key, err)
		}
		if err := setPath(values, strings.Split(key, "."), string(text)); err != nil {
			return nil, fmt.Errorf("--set-file %s: %v", key, err)
		}
	}
	return values, nil
}

func readYAMLMap(path string) (map[string]interface{}, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := map[string]interface{}{}
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return m, nil
}

func mergeValues(base, over map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		bm, baseIsMap := out[k].(map[string]interface{})
		om, overIsMap := v.(map[string]interface{})
		if baseIsMap && overIsMap {
			out[k] = mergeValues(bm, om)
		} else {
			out[k] = v
		}
	}
	return out
}

func setPath(m map[string]interface{}, path []string, value string) error {
	for i, p := range path {
		if i == len(path)-1 {
			m[p] = value
			return nil
		}
		next, ok := m[p].(map[string]interface{})
		if !ok {
			if m[p] != nil {
				return fmt.Errorf("%s is not a map", strings.Join(path[:i+1], "."))
			}
			next = map[string]interface{}{}
			m[p] = next
		}
		m = next
	}
	return nil
}
