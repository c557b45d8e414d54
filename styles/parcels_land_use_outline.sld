<?xml version="1.0" encoding="UTF-8"?>
<StyledLayerDescriptor version="1.0.0"
    xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc"
    xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.0.0/StyledLayerDescriptor.xsd">
  <NamedLayer>
    <Name>parcels</Name>
    <UserStyle>
      <Name>parcels_land_use_outline</Name>
      <Title>Ranh giới thửa đất và loại đất (không tô màu)</Title>
      <Abstract>Cadastral parcels without fill, for use over imagery or a planning map: yellow outlines with a dark casing below 1:50 000, parcel number and every land-use code (land_uses: ONT+CLN) at 1:2 500 and larger.</Abstract>
      <FeatureTypeStyle>
        <Rule>
          <Name>casing</Name>
          <Title>Viền ranh giới thửa</Title>
          <MaxScaleDenominator>50000</MaxScaleDenominator>
          <LineSymbolizer>
            <Stroke>
              <CssParameter name="stroke">#202020</CssParameter>
              <CssParameter name="stroke-width">2</CssParameter>
              <CssParameter name="stroke-opacity">0.6</CssParameter>
              <CssParameter name="stroke-linejoin">round</CssParameter>
            </Stroke>
          </LineSymbolizer>
        </Rule>
      </FeatureTypeStyle>
      <FeatureTypeStyle>
        <Rule>
          <Name>outline</Name>
          <Title>Ranh giới thửa đất</Title>
          <MaxScaleDenominator>50000</MaxScaleDenominator>
          <LineSymbolizer>
            <Stroke>
              <CssParameter name="stroke">#FFE100</CssParameter>
              <CssParameter name="stroke-width">1</CssParameter>
              <CssParameter name="stroke-linejoin">round</CssParameter>
            </Stroke>
          </LineSymbolizer>
        </Rule>
        <Rule>
          <Name>parcel_no_land_use</Name>
          <Title>Số thửa và loại đất</Title>
          <!-- MaxScaleDenominator is exclusive: 2501 keeps 1:2 500 itself labelled -->
          <MaxScaleDenominator>2501</MaxScaleDenominator>
          <TextSymbolizer>
            <Label><ogc:PropertyName>parcel_no</ogc:PropertyName><ogc:Literal><![CDATA[
]]></ogc:Literal><ogc:PropertyName>land_uses</ogc:PropertyName></Label>
            <Font>
              <CssParameter name="font-family">DejaVu Sans</CssParameter>
              <CssParameter name="font-size">10</CssParameter>
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
                <CssParameter name="fill">#202020</CssParameter>
              </Fill>
            </Halo>
            <Fill>
              <CssParameter name="fill">#FFFFFF</CssParameter>
            </Fill>
          </TextSymbolizer>
        </Rule>
      </FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
