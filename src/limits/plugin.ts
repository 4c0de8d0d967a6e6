import { NoSchemaIntrospectionCustomRule, parse } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { analyzeOperation, checkLimits } from './operation-limits.js';

/**
 * Operation limits as a yoga plugin: a token cap while parsing, introspection off when configured, and
 * depth/alias/cost checked before execution, so a rejected operation runs no resolver at all.
 */
export function operationLimitsPlugin(config: Config['operationLimits']): Plugin {
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => parse(source, { ...options, maxTokens: config.maxTokens }));
    },
    onValidate({ addValidationRule }) {
      if (!config.introspection) addValidationRule(NoSchemaIntrospectionCustomRule);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const analysis = analyzeOperation(args.schema, args.document, args.operationName, (args.variableValues ?? {}) as Record<string, unknown>);
      const error = checkLimits(analysis, config);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
