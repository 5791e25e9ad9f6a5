/** The shape of one operator schema entry (op-schemas.json and op-schemas-18-23.json). */
export type FormalOption = 'single' | 'optional' | 'variadic';

export interface FormalParameter {
  name: string;
  description: string;
  typeStr: string;
  option: FormalOption;
  homogeneous: boolean;
}

export interface AttributeSchema {
  name: string;
  /** 'int', 'ints', 'float', 'string', 'tensor', 'graph', ... */
  type: string;
  required: boolean;
  description: string;
  /** Only scalar and list-of-scalar defaults are kept. */
  default?: number | string | (number | string)[];
}

export interface TypeConstraint {
  typeParam: string;
  allowedTypes: string[];
  description: string;
}

export interface OpSchema {
  /** '' for the default ONNX domain. */
  domain: string;
  name: string;
  sinceVersion: number;
  deprecated: boolean;
  supportLevel: string;
  doc: string;
  minInput: number;
  /** null = unbounded (variadic). */
  maxInput: number | null;
  minOutput: number;
  maxOutput: number | null;
  inputs: FormalParameter[];
  outputs: FormalParameter[];
  attributes: AttributeSchema[];
  typeConstraints: TypeConstraint[];
}
