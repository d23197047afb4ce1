#!/usr/bin/env python3
"""mutate.py MUTATION IN OUT: writes IN (YAML documents) to OUT with one
mistake made in it, for the tests that show a check fails on it.

  drop-deployment NAME  the Deployment NAME is left out (its HPA, PDB and
                        Service then point at nothing)
  router-first          the Envoy router filter comes before grpc_web and cors
  unroute-survey        the route of hotline.survey.v1.CallbackSurveys is gone
"""

import sys

import yaml


def http_connection_manager(config):
    return config["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"]


def main(argv):
    mutation, args = argv[0], argv[1:]
    extra, (src, dst) = args[:-2], args[-2:]
    with open(src, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    if mutation == "drop-deployment":
        docs = [d for d in docs if not (d.get("kind") == "Deployment" and d["metadata"]["name"] == extra[0])]
    elif mutation == "router-first":
        hcm = http_connection_manager(docs[0])
        hcm["http_filters"].insert(0, hcm["http_filters"].pop())
    elif mutation == "unroute-survey":
        host = http_connection_manager(docs[0])["route_config"]["virtual_hosts"][0]
        host["routes"] = [r for r in host["routes"] if "CallbackSurveys" not in r["match"]["prefix"]]
    else:
        sys.exit(__doc__)
    with open(dst, "w", encoding="utf-8") as f:
        yaml.safe_dump_all(docs, f, sort_keys=False)


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(sys.argv[1:])
