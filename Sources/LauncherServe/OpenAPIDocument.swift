/// The OpenAPI 3.0 document of `launcher serve`, served at `GET /openapi.json` and printed by
/// `launcher serve --print-openapi`. It is committed here, in source, so the binary needs no resource files;
/// bench/serve/schemathesis.sh checks the running server against it (property-based), and
/// ServeRobustnessTests checks that every route and scoring status is in it.
enum OpenAPIDocument {
    static let text = #"""
{
  "openapi": "3.0.3",
  "info": {
    "title": "SolutionKit launcher serve",
    "version": "1.0.0",
    "description": "HTTP scoring of verified SolutionKit model bundles. Each scored row is answered with exactly the fields `launcher score` writes; a row that cannot be scored is a reject with its reason (the status stays 200). Every error is a JSON object {\"error\": {\"code\", \"message\"}}."
  },
  "paths": {
    "/v1/models": {
      "get": {
        "operationId": "listModels",
        "summary": "The models being served.",
        "responses": {
          "200": {"description": "The models.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ModelList"}}}}
        }
      }
    },
    "/v1/models/{name}": {
      "get": {
        "operationId": "getModel",
        "summary": "One model: its summary and verified manifest (input schema, metrics, hyperparameters).",
        "parameters": [{"$ref": "#/components/parameters/ModelName"}],
        "responses": {
          "200": {"description": "The model.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ModelDetail"}}}},
          "404": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/models/{name}/score": {
      "post": {
        "operationId": "score",
        "summary": "Score rows (JSON or CSV), one image (PNG) or several (multipart PNG parts) with a model.",
        "description": "Query parameters other than `name` are the plugin's scoring options (as `launcher score --option key=value`), e.g. `k` (top-N) for recommendation or `reasons` for credit risk. Accept: application/json (default) answers with the envelope; text/csv and application/x-ndjson answer with exactly the bytes `launcher score --format csv|jsonl` writes.",
        "parameters": [
          {"$ref": "#/components/parameters/ModelName"},
          {"name": "name", "in": "query", "required": false, "description": "For image/png bodies: the image's name in the answer's path field (default upload.png).", "schema": {"type": "string", "minLength": 1, "maxLength": 255}}
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ScoreRows"}},
            "text/csv": {"schema": {"type": "string", "description": "A header line naming the model's input columns, then one row per line."}},
            "image/png": {"schema": {"type": "string", "format": "binary"}},
            "multipart/form-data": {
              "schema": {
                "type": "object",
                "description": "For image models: one or more PNG images, each part one row in part order, named in the answer's path field by the part's filename (else its form field name). A part whose bytes are not a PNG is a 400 naming the part; a PNG that does not decode is that row's reject (status 200), its line the part's 1-based number. More parts than --max-rows is a 413.",
                "additionalProperties": {
                  "oneOf": [
                    {"type": "string", "format": "binary"},
                    {"type": "array", "items": {"type": "string", "format": "binary"}}
                  ]
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Every row scored or rejected; rows read = rows scored + rows rejected.",
            "headers": {
              "X-Rows-Read": {"schema": {"type": "integer"}},
              "X-Rows-Scored": {"schema": {"type": "integer"}},
              "X-Rows-Rejected": {"schema": {"type": "integer"}}
            },
            "content": {
              "application/json": {"schema": {"$ref": "#/components/schemas/ScoreEnvelope"}},
              "text/csv": {"schema": {"type": "string"}},
              "application/x-ndjson": {"schema": {"type": "string"}}
            }
          },
          "400": {"$ref": "#/components/responses/Error"},
          "404": {"$ref": "#/components/responses/Error"},
          "406": {"$ref": "#/components/responses/Error"},
          "408": {"$ref": "#/components/responses/Error"},
          "413": {"$ref": "#/components/responses/Error"},
          "415": {"$ref": "#/components/responses/Error"},
          "429": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/models/{name}/reload": {
      "post": {
        "operationId": "reload",
        "summary": "Load the model's bundle folder again and swap it in atomically; requests in flight finish on the old version.",
        "parameters": [{"$ref": "#/components/parameters/ModelName"}],
        "responses": {
          "200": {"description": "The new version.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ModelSummary"}}}},
          "404": {"$ref": "#/components/responses/Error"},
          "422": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/healthz": {
      "get": {
        "operationId": "health",
        "summary": "The process is up.",
        "responses": {"200": {"description": "Up.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}}}
      }
    },
    "/readyz": {
      "get": {
        "operationId": "ready",
        "summary": "Every model is loaded and the server is not draining.",
        "responses": {
          "200": {"description": "Ready.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}},
          "503": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/metrics": {
      "get": {
        "operationId": "metrics",
        "summary": "Prometheus text: requests by model and status, rows, rejects, latency histograms, reloads.",
        "responses": {"200": {"description": "Metrics.", "content": {"text/plain": {"schema": {"type": "string"}}}}}
      }
    },
    "/openapi.json": {
      "get": {
        "operationId": "openapi",
        "summary": "This document.",
        "responses": {"200": {"description": "The OpenAPI document.", "content": {"application/json": {"schema": {"type": "object"}}}}}
      }
    }
  },
  "components": {
    "parameters": {
      "ModelName": {"name": "name", "in": "path", "required": true, "description": "The name given with --model NAME=FOLDER.", "schema": {"type": "string"}}
    },
    "responses": {
      "Error": {"description": "The request was refused; nothing was scored.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    },
    "schemas": {
      "ScoreRows": {
        "type": "object",
        "required": ["rows"],
        "additionalProperties": false,
        "properties": {
          "rows": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "object",
              "minProperties": 1,
              "description": "One row: input column name to value (text, number, boolean or null for missing). The model's input columns are in GET /v1/models/{name} (manifest.input_schema); a request whose rows lack one of them is a 400.",
              "additionalProperties": {"nullable": true, "oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]}
            }
          }
        }
      },
      "ScoreEnvelope": {
        "type": "object",
        "required": ["model", "rows_read", "rows_scored", "rows_rejected", "rows", "rejects", "notes"],
        "properties": {
          "model": {"type": "string"},
          "rows_read": {"type": "integer", "minimum": 0},
          "rows_scored": {"type": "integer", "minimum": 0},
          "rows_rejected": {"type": "integer", "minimum": 0},
          "rows": {"type": "array", "description": "Scored rows in input order: each the JSON line `launcher score --format jsonl` writes.", "items": {"type": "object"}},
          "rejects": {
            "type": "array",
            "items": {
              "type": "object",
              "required": ["line"],
              "properties": {
                "line": {"type": "integer", "description": "1-based line of the scorer's input (CSV: the header is line 1; multipart: the part's number)."},
                "row": {"type": "integer", "description": "For JSON rows: the 0-based index in rows."},
                "reason": {"type": "string"}
              }
            }
          },
          "notes": {"type": "array", "items": {"type": "string"}}
        }
      },
      "ModelSummary": {
        "type": "object",
        "required": ["name", "plugin", "recipe", "folder", "loaded_at", "generation", "created_at"],
        "properties": {
          "name": {"type": "string"},
          "plugin": {"type": "string"},
          "recipe": {"type": "string"},
          "folder": {"type": "string"},
          "loaded_at": {"type": "string"},
          "generation": {"type": "integer", "description": "0 at start, +1 per successful reload."},
          "created_at": {"type": "string"}
        }
      },
      "ModelList": {
        "type": "object",
        "required": ["models"],
        "properties": {"models": {"type": "array", "items": {"$ref": "#/components/schemas/ModelSummary"}}}
      },
      "ModelDetail": {
        "type": "object",
        "required": ["model", "manifest"],
        "properties": {"model": {"$ref": "#/components/schemas/ModelSummary"}, "manifest": {"type": "object"}}
      },
      "Status": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}, "models": {"type": "integer"}}},
      "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
          "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}}
          }
        }
      }
    }
  }
}

"""#
}
