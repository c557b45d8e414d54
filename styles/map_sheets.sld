<?xml version="1.0" encoding="UTF-8"?>
<StyledLayerDescriptor version="1.0.0"
    xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc"
    xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.0.0/StyledLayerDescriptor.xsd">
  <NamedLayer>
    <Name>map_sheets</Name>
    <UserStyle>
      <Name>map_sheets</Name>
      <Title>Tờ bản đồ địa chính</Title>
      <Abstract>Cadastral map sheets (sheet_no, commune_code, scale): dashed blue outline, no fill; 'Tờ &lt;sheet_no&gt;' labels at 1:25 000 and larger.</Abstract>
      <FeatureTypeStyle>
        <Rule>
          <Name>sheet_outline</Name>
          <Title>Ranh giới tờ bản đồ</Title>
          <LineSymbolizer>
            <Stroke>
              <CssParameter name="stroke">#1F5FBF</CssParameter>
              <CssParameter name="stroke-width">1.2</CssParameter>
              <CssParameter name="stroke-dasharray">8 4</CssParameter>
              <CssParameter name="stroke-linejoin">miter</CssParameter>
            </Stroke>
          </LineSymbolizer>
        </Rule>
        <Rule>
          <Name>sheet_label</Name>
          <Title>Số hiệu tờ bản đồ</Title>
          <!-- MaxScaleDenominator is exclusive: 25001 keeps 1:25 000 itself labelled -->
          <MaxScaleDenominator>25001</MaxScaleDenominator>
          <TextSymbolizer>
            <Label>Tờ <ogc:PropertyName>sheet_no</ogc:PropertyName></Label>
            <Font>
              <CssParameter name="font-family">DejaVu Sans</CssParameter>
              <CssParameter name="font-size">12</CssParameter>
              <CssParameter name="font-weight">bold</CssParameter>
            </Font>
            <LabelPlacement>
              <PointPlacement>
                <AnchorPoint>
                  <AnchorPointX>0.5</AnchorPointX>
                  <AnchorPointY>0.5</AnchorPointY>
                </AnchorPoint>
              </PointPlacement>
            </LabelPlacement>
            <Halo>
              <Radius>1.5</Radius>
              <Fill>
                <CssParameter name="fill">#FFFFFF</CssParameter>
                <CssParameter name="fill-opacity">0.85</CssParameter>
              </Fill>
            </Halo>
            <Fill>
              <CssParameter name="fill">#1F5FBF</CssParameter>
            </Fill>
          </TextSymbolizer>
        </Rule>
      </FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
