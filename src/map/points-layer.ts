/**
 * The map's papers as round point sprites: one vertex per paper, all in one non-instanced draw.
 * deck.gl's ScatterplotLayer draws an instanced quad per point, which a GPU takes in its stride but a
 * software renderer draws instance by instance (SwiftShader, what Chromium uses without a GPU: ~3 s
 * for 100,000 points here, against ~0.35 s as sprites). Binary attributes only, no per-point objects:
 * `data.attributes` holds getPosition (n × 2 float32), getFillColor (n × 4 uint8) and getFilterValue
 * (n float32, 0 hides a point). Not pickable: the map finds points on the CPU (hover.ts).
 */
import { Layer, project32, type DefaultProps, type LayerProps, type UpdateParameters } from '@deck.gl/core';
import { Model } from '@luma.gl/engine';

const uniformBlock = /* glsl */ `\
layout(std140) uniform pointsUniforms {
  vec4 lineColor;
  float radius;
  float radiusMinPixels;
  float radiusMaxPixels;
  float lineWidth;
} points;
`;

type PointsUniforms = {
  lineColor: [number, number, number, number];
  radius: number;
  radiusMinPixels: number;
  radiusMaxPixels: number;
  lineWidth: number;
};

const pointsUniforms = {
  name: 'points',
  vs: uniformBlock,
  fs: uniformBlock,
  uniformTypes: { lineColor: 'vec4<f32>', radius: 'f32', radiusMinPixels: 'f32', radiusMaxPixels: 'f32', lineWidth: 'f32' },
} as const;

const vs = /* glsl */ `\
#version 300 es
#define SHADER_NAME papermap-points-vertex

in vec3 pointPositions;
in vec4 pointColors;
in float pointShown;

out vec4 vColor;
out float vRadius;

void main(void) {
  geometry.worldPosition = pointPositions;
  // The dot grows with the zoom (radius is in map units) between the two bounds, plus its outline.
  vRadius = clamp(project_size_to_pixel(points.radius, UNIT_COMMON), points.radiusMinPixels, points.radiusMaxPixels) + points.lineWidth / 2.0;
  gl_Position = project_position_to_clipspace(pointPositions, vec3(0.0), vec3(0.0), geometry.position);
  // Hidden points go outside clip space: nothing is drawn for them.
  if (pointShown < 0.5) gl_Position = vec4(0.0, 0.0, 2.0, 1.0);
  // The sprite covers the dot and half a pixel of smoothed edge, in device pixels.
  gl_PointSize = 2.0 * (vRadius + SMOOTH_EDGE_RADIUS) * project.devicePixelRatio;
  vColor = vec4(pointColors.rgb, pointColors.a * layer.opacity);
}
`;

const fs = /* glsl */ `\
#version 300 es
#define SHADER_NAME papermap-points-fragment
precision highp float;

in vec4 vColor;
in float vRadius;
out vec4 fragColor;

void main(void) {
  // Distance from the dot's centre in CSS pixels (gl_PointCoord runs 0..1 across the sprite).
  float distance = length(gl_PointCoord - 0.5) * 2.0 * (vRadius + SMOOTH_EDGE_RADIUS);
  float inside = smoothedge(distance, vRadius);
  if (inside == 0.0) discard;
  float onLine = points.lineWidth > 0.0 ? smoothedge(vRadius - points.lineWidth, distance) : 0.0;
  fragColor = mix(vColor, vec4(points.lineColor.rgb, points.lineColor.a * layer.opacity), onLine);
  fragColor.a *= inside;
}
`;

export interface PointsLayerProps extends LayerProps {
  /** Dot radius in map units (it grows on screen as one zooms in), kept within the pixel bounds. */
  radius?: number;
  radiusMinPixels?: number;
  radiusMaxPixels?: number;
  /** Outline width in pixels (0: none) and colour. */
  lineWidth?: number;
  lineColor?: [number, number, number, number];
}

const defaultProps: DefaultProps<PointsLayerProps> = {
  radius: 1,
  radiusMinPixels: 1,
  radiusMaxPixels: 8,
  lineWidth: 0,
  lineColor: [255, 255, 255, 255],
};

export class PointsLayer extends Layer<Required<PointsLayerProps>> {
  static override defaultProps = defaultProps;
  static override layerName = 'PointsLayer';

  declare state: { model?: Model };

  override getShaders() {
    return super.getShaders({ vs, fs, modules: [project32, pointsUniforms] });
  }

  override initializeState(): void {
    // Per vertex, not per instance: each paper is one vertex of a point-list draw.
    this.getAttributeManager()!.add({
      pointPositions: { size: 3, accessor: 'getPosition' },
      pointColors: { size: 4, type: 'unorm8', accessor: 'getFillColor', defaultValue: [0, 0, 0, 255] },
      pointShown: { size: 1, accessor: 'getFilterValue', defaultValue: 1 },
    });
  }

  override updateState(params: UpdateParameters<this>): void {
    super.updateState(params);
    if (params.changeFlags.extensionsChanged || !this.state.model) {
      this.state.model?.destroy();
      this.state.model = new Model(this.context.device, {
        ...this.getShaders(),
        id: this.props.id,
        bufferLayout: this.getAttributeManager()!.getBufferLayouts(),
        topology: 'point-list',
        isInstanced: false,
      });
      this.getAttributeManager()!.invalidateAll();
    }
  }

  override draw(): void {
    const { radius, radiusMinPixels, radiusMaxPixels, lineWidth, lineColor } = this.props;
    const model = this.state.model!;
    const uniforms: PointsUniforms = { lineColor: lineColor.map((c) => c / 255) as PointsUniforms['lineColor'], radius, radiusMinPixels, radiusMaxPixels, lineWidth };
    model.shaderInputs.setProps({ points: uniforms });
    model.setVertexCount(this.getNumInstances());
    model.draw(this.context.renderPass);
  }
}
